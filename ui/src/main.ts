import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { useStartTheme } from "./lib/theme";

// In the stored theme the backend started the window in (as the desktop is without one).
useStartTheme();

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

/** If the UI itself fails, say so in words instead of leaving a blank window. */
function showFatal(reason: unknown) {
  const box = document.createElement("pre");
  box.setAttribute("role", "alert");
  box.setAttribute("data-testid", "fatal-error");
  box.className = "fatal";
  box.textContent = `Kith hit a problem it cannot recover from:\n${
    reason instanceof Error ? `${reason.message}\n${reason.stack ?? ""}` : String(reason)
  }`;
  document.body.append(box);
}
window.addEventListener("error", (event) => showFatal(event.error ?? event.message));
window.addEventListener("unhandledrejection", (event) => showFatal(event.reason));

export default mount(App, { target });

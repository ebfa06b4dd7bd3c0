// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { createRawSnippet, flushSync, mount, unmount } from "svelte";
import Modal from "./Modal.svelte";
import { press } from "../lib/test-dom";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = "";
});

/** Waits for what runs after the modal went (the focus going back). */
async function later() {
  await new Promise((resolve) => setTimeout(resolve, 10));
  flushSync();
}

/** A modal holding a text field, opened by a button that has the focus; answers them. */
function open(dirty: () => boolean, onclose: () => void) {
  const opener = document.createElement("button");
  opener.textContent = "Log interaction";
  opener.dataset.testid = "opener";
  document.body.append(opener);
  opener.focus();
  const target = document.createElement("div");
  document.body.append(target);
  mounted = mount(Modal, {
    target,
    props: {
      onclose,
      dirty,
      question: "Discard your note?",
      label: "Log",
      testid: "log",
      children: createRawSnippet(() => ({ render: () => `<textarea id="note" aria-label="Note"></textarea>` })),
    },
  });
  flushSync();
  const note = document.getElementById("note") as HTMLTextAreaElement;
  note.focus();
  return { opener, note };
}

const question = () => document.querySelector('[data-testid="log-discard"]');

describe("Modal", () => {
  it("leaves an Escape that a popup inside took to the popup", () => {
    let closed = 0;
    const { note } = open(() => false, () => void closed++);
    // A suggestion list inside closes on this Escape and says so.
    note.addEventListener("keydown", (e) => e.key === "Escape" && e.preventDefault(), { once: true });
    press(note, "Escape");
    expect(closed).toBe(0);
    // The next Escape is the modal's: nothing typed, it closes.
    press(note, "Escape");
    expect(closed).toBe(1);
  });

  it("asks before throwing typed text away, keeps it on Escape, and gives the focus back when it goes", async () => {
    let closed = 0;
    const { opener, note } = open(
      () => note.value.trim() !== "",
      () => {
        closed++;
        if (mounted) unmount(mounted);
        mounted = null;
      },
    );
    note.value = "Talked about her move\nto Lisbon";

    press(note, "Escape");
    expect(closed).toBe(0);
    expect(question()?.textContent).toContain("Discard your note?");
    const keep = document.querySelector('[data-testid="log-discard-keep"]') as HTMLButtonElement;
    expect(document.activeElement).toBe(keep);

    // Escape on the question keeps editing, back in the note.
    press(keep, "Escape");
    expect(question()).toBeNull();
    expect(closed).toBe(0);
    expect(document.activeElement).toBe(note);
    expect(note.value).toBe("Talked about her move\nto Lisbon");

    press(note, "Escape");
    (document.querySelector('[data-testid="log-discard-discard"]') as HTMLButtonElement).click();
    flushSync();
    expect(closed).toBe(1);
    await later();
    expect(document.activeElement).toBe(opener);
  });

  it("does not close on a click on its backdrop while text would be lost", () => {
    let closed = 0;
    const { note } = open(() => note.value !== "", () => void closed++);
    note.value = "half a thought";
    const dialog = document.querySelector("dialog") as HTMLDialogElement;
    dialog.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    flushSync();
    expect(closed).toBe(0);
    expect(question()).not.toBeNull();
  });
});

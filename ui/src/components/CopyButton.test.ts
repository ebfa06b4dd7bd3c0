// @vitest-environment happy-dom
import { mount, tick, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import CopyButton from "./CopyButton.svelte";

describe("CopyButton", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("copies its value, says so, and is labelled with what it copies", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const target = document.createElement("div");
    document.body.append(target);
    const button = mount(CopyButton, { target, props: { value: "priya@acme.example", what: "email" } });
    const el = target.querySelector("button")!;
    expect(el.getAttribute("aria-label")).toBe("Copy email priya@acme.example");
    expect(el.textContent?.trim()).toBe("Copy");
    el.click();
    await vi.waitFor(() => expect(writeText).toHaveBeenCalledWith("priya@acme.example"));
    await tick();
    expect(el.textContent?.trim()).toBe("Copied");
    unmount(button);
  });
});

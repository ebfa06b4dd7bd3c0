// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import ConfirmButton from "./ConfirmButton.svelte";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = "";
});

function button(): HTMLButtonElement {
  const found = document.body.querySelector("button");
  if (!found) throw new Error("no button");
  return found;
}

describe("ConfirmButton", () => {
  it("asks on the first click, acts on the second, and Escape or leaving takes the question back", () => {
    let done = 0;
    mounted = mount(ConfirmButton, {
      target: document.body,
      props: { label: "Delete", confirm: "Delete for good?", onconfirm: () => void done++ },
    });
    const b = button();
    expect(b.textContent?.trim()).toBe("Delete");

    b.click();
    flushSync();
    expect(b.textContent?.trim()).toBe("Delete for good?");
    expect(done).toBe(0);

    b.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    flushSync();
    expect(b.textContent?.trim()).toBe("Delete");

    b.click();
    b.dispatchEvent(new FocusEvent("blur"));
    flushSync();
    expect(b.textContent?.trim()).toBe("Delete");
    expect(done).toBe(0);

    b.click();
    b.click();
    flushSync();
    expect(done).toBe(1);
    expect(b.textContent?.trim()).toBe("Delete");
  });
});

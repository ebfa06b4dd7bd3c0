// @vitest-environment happy-dom
import { flushSync } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { VirtualList } from "./virtual.svelte";

describe("VirtualList", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("renders its rows once the list gets a height after being measured at 0 px", async () => {
    // A list measured before layout: 0 px high. Its ResizeObserver is the one way it hears
    // of its height.
    let height = 0;
    let resized: (() => void) | undefined;
    vi.stubGlobal(
      "ResizeObserver",
      class {
        constructor(callback: () => void) {
          resized = callback;
        }
        observe() {}
        unobserve() {}
        disconnect() {}
      },
    );
    const scroller = document.createElement("div");
    Object.defineProperty(scroller, "clientWidth", { get: () => 300 });
    Object.defineProperty(scroller, "clientHeight", { get: () => height });
    document.body.append(scroller);

    const list = new VirtualList(() => scroller, 56);
    const seen: number[] = [];
    const stop = $effect.root(() => {
      $effect(() => {
        seen.push(list.items.length);
      });
    });
    const cleanup = list.mount();
    list.setCount(3);
    flushSync();
    await Promise.resolve();
    flushSync();
    expect(seen.at(-1)).toBe(0);

    // Laid out: 600 px. The rows come without anything else changing.
    height = 600;
    resized?.();
    await Promise.resolve();
    flushSync();
    expect(seen.at(-1)).toBe(3);
    cleanup();
    stop();
  });
});

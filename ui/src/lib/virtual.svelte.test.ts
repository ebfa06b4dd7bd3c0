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

  it("renders its rows in a scroll element that replaced the one it was mounted with", async () => {
    const resized: (() => void)[] = [];
    vi.stubGlobal(
      "ResizeObserver",
      class {
        constructor(callback: () => void) {
          resized.push(callback);
        }
        observe() {}
        unobserve() {}
        disconnect() {}
      },
    );
    const scrollerOf = (height: () => number) => {
      const el = document.createElement("div");
      Object.defineProperty(el, "clientWidth", { get: () => 300 });
      Object.defineProperty(el, "clientHeight", { get: height });
      document.body.append(el);
      return el;
    };
    let firstHeight = 600;
    let scroller = scrollerOf(() => firstHeight);
    const list = new VirtualList(() => scroller, 56);
    const seen: number[] = [];
    const stop = $effect.root(() => {
      $effect(() => {
        seen.push(list.items.length);
      });
    });
    const cleanup = list.mount();
    list.setCount(2);
    flushSync();
    await Promise.resolve();
    flushSync();
    expect(seen.at(-1)).toBe(2);

    // The list's markup is taken away (an empty state flashes) and rendered again: the old
    // element shrinks to nothing as it goes, and a new one takes its place.
    scroller.remove();
    firstHeight = 0;
    resized.forEach((r) => r());
    await Promise.resolve();
    flushSync();
    expect(seen.at(-1)).toBe(0);
    scroller = scrollerOf(() => 600);
    list.refresh();
    await Promise.resolve();
    flushSync();
    expect(seen.at(-1)).toBe(2);
    cleanup();
    stop();
  });
});

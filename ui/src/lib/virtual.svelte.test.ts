// @vitest-environment happy-dom
import { flushSync } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { VirtualList } from "./virtual.svelte";

/** Stands in for ResizeObserver; `resize()` tells every observer its element changed. */
function stubResizeObserver(): { resize: () => void } {
  const callbacks: (() => void)[] = [];
  vi.stubGlobal(
    "ResizeObserver",
    class {
      constructor(callback: () => void) {
        callbacks.push(callback);
      }
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
  return { resize: () => callbacks.forEach((c) => c()) };
}

/** A scroll element in the page, 300 px wide and as high as `height()` says. */
function scrollerOf(height: () => number): HTMLElement {
  const el = document.createElement("div");
  Object.defineProperty(el, "clientWidth", { get: () => 300 });
  Object.defineProperty(el, "clientHeight", { get: height });
  document.body.append(el);
  return el;
}

/** `list` mounted, with the number of rows it renders after each change in `seen`. */
function watched(list: VirtualList): { seen: number[]; stop: () => void } {
  const seen: number[] = [];
  const stopEffects = $effect.root(() => {
    $effect(() => {
      seen.push(list.items.length);
    });
  });
  const cleanup = list.mount();
  return {
    seen,
    stop: () => {
      cleanup();
      stopEffects();
    },
  };
}

/** Lets the virtualizer's queued change and the effects after it run. */
async function settle() {
  flushSync();
  await Promise.resolve();
  flushSync();
}

describe("VirtualList", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("renders its rows once the list gets a height after being measured at 0 px", async () => {
    // A list measured before layout: 0 px high. Its ResizeObserver is the one way it hears
    // of its height.
    let height = 0;
    const observer = stubResizeObserver();
    const scroller = scrollerOf(() => height);
    const list = new VirtualList(() => scroller, 56);
    const { seen, stop } = watched(list);
    list.setCount(3);
    await settle();
    expect(seen.at(-1)).toBe(0);

    // Laid out: 600 px. The rows come without anything else changing.
    height = 600;
    observer.resize();
    await settle();
    expect(seen.at(-1)).toBe(3);
    stop();
  });

  it("renders its rows in a scroll element that replaced the one it was mounted with", async () => {
    const observer = stubResizeObserver();
    let firstHeight = 600;
    let scroller = scrollerOf(() => firstHeight);
    const list = new VirtualList(() => scroller, 56);
    const { seen, stop } = watched(list);
    list.setCount(2);
    await settle();
    expect(seen.at(-1)).toBe(2);

    // The list's markup is taken away (an empty state flashes) and rendered again: the old
    // element shrinks to nothing as it goes, and a new one takes its place.
    scroller.remove();
    firstHeight = 0;
    observer.resize();
    await settle();
    expect(seen.at(-1)).toBe(0);
    scroller = scrollerOf(() => 600);
    list.refresh();
    await settle();
    expect(seen.at(-1)).toBe(2);
    stop();
  });
});

describe("VirtualList keyboard support", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it("knows how many rows make a page and scrolls a far row just into view", async () => {
    stubResizeObserver();
    const scroller = scrollerOf(() => 560);
    Object.defineProperty(scroller, "scrollHeight", { get: () => 840 * 56 });
    const scrolled = vi.fn();
    scroller.scrollTo = scrolled as unknown as typeof scroller.scrollTo;
    const list = new VirtualList(() => scroller, 56);
    const { stop } = watched(list);
    list.setCount(840);
    await settle();
    expect(list.pageSize).toBe(10);

    list.scrollToIndex(839);
    expect(scrolled).toHaveBeenLastCalledWith(expect.objectContaining({ top: 840 * 56 - 560 }));
    stop();
  });
});

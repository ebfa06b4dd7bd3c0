// A virtualised list for Svelte 5 runes on top of @tanstack/virtual-core: only the rows in
// view (plus a margin) are rendered, so lists of 100,000 contacts scroll smoothly.

import {
  Virtualizer,
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type VirtualItem,
} from "@tanstack/virtual-core";

export class VirtualList {
  /** Bumped whenever the visible range or sizes change. */
  #version = $state(0);
  #virtualizer: Virtualizer<HTMLElement, Element>;

  constructor(getScrollElement: () => HTMLElement | null, rowHeight: number) {
    this.#virtualizer = new Virtualizer<HTMLElement, Element>({
      count: 0,
      getScrollElement,
      estimateSize: () => rowHeight,
      overscan: 12,
      scrollToFn: elementScroll,
      observeElementRect,
      observeElementOffset,
      // The virtualizer reports range changes while the template reads it; a state change
      // then is not allowed, so the re-render is queued instead.
      onChange: () => queueMicrotask(() => (this.#version += 1)),
    });
  }

  /** Call from `onMount`; returns the cleanup. */
  mount(): () => void {
    const cleanup = this.#virtualizer._didMount();
    this.#virtualizer._willUpdate();
    this.#version += 1;
    return cleanup;
  }

  /** Call when the scroll element itself was replaced (its markup rendered again): the
   * virtualizer lets the old one go and measures and watches the new one. */
  refresh() {
    this.#virtualizer._willUpdate();
    this.#version += 1;
  }

  setCount(count: number) {
    this.#virtualizer.setOptions({ ...this.#virtualizer.options, count });
    this.#virtualizer._willUpdate();
    this.#version += 1;
  }

  /** Scrolls just enough for row `index` to be in view (and so rendered). */
  scrollToIndex(index: number) {
    this.#virtualizer.scrollToIndex(index, { align: "auto" });
  }

  /** How many whole rows the scroll element shows at once (at least one): a page. */
  get pageSize(): number {
    void this.#version;
    const height = this.#virtualizer.scrollRect?.height ?? 0;
    return Math.max(1, Math.floor(height / this.#virtualizer.options.estimateSize(0)));
  }

  get items(): VirtualItem[] {
    void this.#version;
    return this.#virtualizer.getVirtualItems();
  }

  get totalSize(): number {
    void this.#version;
    return this.#virtualizer.getTotalSize();
  }
}

// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { SvelteSet } from "svelte/reactivity";
import ContactList from "./ContactList.svelte";
import type { ContactSummary } from "../../lib/api";

function person(id: number, name: string): ContactSummary {
  return {
    id,
    displayName: name,
    company: null,
    role: null,
    primaryEmail: null,
    primaryPhone: null,
    circle: "network",
    lastTouchAt: null,
    nextDueAt: null,
    due: "upcoming",
  };
}

const people = Array.from({ length: 840 }, (_, i) => person(i + 1, `Person ${String(i + 1).padStart(3, "0")}`));

let mounted: Record<string, unknown> | null = null;

beforeEach(() => {
  // A laid-out list: 560 px high (ten rows), so the virtualizer renders rows.
  vi.stubGlobal(
    "ResizeObserver",
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(560);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(360);
  vi.spyOn(HTMLElement.prototype, "scrollHeight", "get").mockReturnValue(840 * 56);
});

afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = "";
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

async function settle() {
  flushSync();
  await Promise.resolve();
  flushSync();
}

function listbox(): HTMLElement {
  const found = document.body.querySelector<HTMLElement>("[role=listbox]");
  if (!found) throw new Error("no listbox");
  return found;
}

function press(key: string, init: KeyboardEventInit = {}) {
  listbox().dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...init }));
  flushSync();
}

function activeName(): string | undefined {
  const id = listbox().getAttribute("aria-activedescendant");
  return id ? document.getElementById(id)?.querySelector("[data-testid=contact-name]")?.textContent ?? undefined : undefined;
}

async function mountList(props: { openId?: number | null; choosing?: boolean } = {}) {
  const opened: [number, boolean][] = [];
  const chosen = new SvelteSet<number>();
  mounted = mount(ContactList, {
    target: document.body,
    props: {
      results: people,
      openId: props.openId ?? null,
      chosen,
      choosing: props.choosing ?? false,
      onopen: (id: number, byKeyboard: boolean) => void opened.push([id, byKeyboard]),
    },
  });
  await settle();
  return { opened, chosen };
}

describe("ContactList", () => {
  it("is one Tab stop however many people it lists", async () => {
    await mountList();
    const rows = document.body.querySelectorAll("[role=option]");
    expect(rows.length).toBeGreaterThan(5);
    const tabbable = document.body.querySelectorAll("button, a[href], input, [tabindex]:not([tabindex='-1'])");
    expect([...tabbable]).toEqual([listbox()]);
    expect(listbox().getAttribute("aria-label")).toBe("Contacts");
  });

  it("moves between people with the arrows, Home/End and pages, and Enter opens the active one", async () => {
    const { opened } = await mountList();
    listbox().dispatchEvent(new FocusEvent("focusin", { bubbles: true }));
    flushSync();
    expect(activeName()).toBe("Person 001");
    press("ArrowDown");
    press("ArrowDown");
    expect(activeName()).toBe("Person 003");
    press("Enter");
    expect(opened).toEqual([[3, true]]);
    press("ArrowUp");
    expect(activeName()).toBe("Person 002");
    press("PageDown");
    expect(activeName()).toBe("Person 012");
    press("Home");
    expect(activeName()).toBe("Person 001");
    // End scrolls the last row into view: the list asks its scroller to go there.
    const scrolled = vi.spyOn(HTMLElement.prototype, "scrollTo");
    press("End");
    await settle();
    const top = (scrolled.mock.calls.at(-1)?.[0] as ScrollToOptions | undefined)?.top ?? 0;
    expect(top).toBe(840 * 56 - 560);
    // Until the rows there are rendered, no missing row is named as the active one.
    expect(listbox().getAttribute("aria-activedescendant")).toBeNull();
  });

  it("starts from the open person when tabbed into", async () => {
    await mountList({ openId: 5 });
    listbox().dispatchEvent(new FocusEvent("focusin", { bubbles: true }));
    flushSync();
    expect(activeName()).toBe("Person 005");
    expect(document.getElementById("contact-option-5")?.getAttribute("aria-selected")).toBe("true");
    press("ArrowDown");
    expect(activeName()).toBe("Person 006");
  });

  it("chooses several with Space, Shift+arrows and clicks, and Escape lets them go", async () => {
    const { opened, chosen } = await mountList();
    press("ArrowDown");
    press(" ");
    expect([...chosen]).toEqual([1]);
    expect(listbox().getAttribute("aria-multiselectable")).toBe("true");
    press("ArrowDown", { shiftKey: true });
    press("ArrowDown", { shiftKey: true });
    expect([...chosen].sort((a, b) => a - b)).toEqual([1, 2, 3]);
    expect(document.getElementById("contact-option-2")?.getAttribute("aria-selected")).toBe("true");
    document.getElementById("contact-option-6")?.dispatchEvent(new MouseEvent("click", { bubbles: true, ctrlKey: true }));
    flushSync();
    expect(chosen.has(6)).toBe(true);
    expect(opened).toEqual([]);
    press("Escape");
    expect(chosen.size).toBe(0);
    // A plain click opens the person.
    document.getElementById("contact-option-4")?.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    flushSync();
    expect(opened).toEqual([[4, false]]);
  });

  it("in choosing mode a plain click chooses instead of opening", async () => {
    const { opened, chosen } = await mountList({ choosing: true });
    document.getElementById("contact-option-2")?.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    document.getElementById("contact-option-5")?.dispatchEvent(new MouseEvent("click", { bubbles: true, shiftKey: true }));
    flushSync();
    expect([...chosen].sort((a, b) => a - b)).toEqual([2, 3, 4, 5]);
    expect(opened).toEqual([]);
  });
});

describe("ContactList under the pointer", () => {
  it("does not scroll to the open person when a click on another row focuses the list", async () => {
    const { opened } = await mountList({ openId: 500 });
    const scrolled = vi.spyOn(HTMLElement.prototype, "scrollTo");
    const row = document.getElementById("contact-option-7");
    row?.dispatchEvent(new PointerEvent("pointerdown", { bubbles: true }));
    listbox().dispatchEvent(new FocusEvent("focusin", { bubbles: true }));
    row?.dispatchEvent(new PointerEvent("pointerup", { bubbles: true }));
    row?.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    flushSync();
    expect(scrolled).not.toHaveBeenCalled();
    expect(opened).toEqual([[7, false]]);
    expect(activeName()).toBe("Person 007");
  });
});

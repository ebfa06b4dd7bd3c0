// What the component tests do to a mounted component as a user would: type into a field,
// press a key, wait for IPC answers. (For files that say `@vitest-environment happy-dom`.)
import { flushSync, mount, unmount, type Component } from "svelte";

/** Lets the IPC answers arrive and the component update. */
export async function settle() {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  flushSync();
}

/** Presses `key` on `target` (the keydown bubbles and can be taken); answers the event. */
export function press(target: Element, key: string): KeyboardEvent {
  const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true });
  target.dispatchEvent(event);
  flushSync();
  return event;
}

/** Types `text` into a field, as its `input` event says. */
export function typeInto(field: HTMLInputElement | HTMLTextAreaElement, text: string) {
  field.value = text;
  field.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

/** The element with this test id, or null. */
export const byTestid = (id: string) => document.querySelector(`[data-testid="${id}"]`);

/** The one form shown by `openForm`, taken away by `closeForm`. */
let shown: Record<string, unknown> | null = null;

/**
 * Mounts a form as its page does, in a fresh element of the body, with an `oncancel` that
 * takes it off the page again; answers how many times it was cancelled so far.
 */
export function openForm<Props extends Record<string, unknown>>(
  form: Component<Props & { oncancel: () => void }>,
  props: Props,
): { cancelled: () => number } {
  let cancelled = 0;
  const target = document.createElement("div");
  document.body.append(target);
  shown = mount(form, {
    target,
    props: {
      ...props,
      oncancel: () => {
        cancelled++;
        closeForm();
      },
    },
  } as never);
  flushSync();
  return { cancelled: () => cancelled };
}

/** Takes the form off the page without Cancel or Escape (another contact, another screen). */
export function closeForm() {
  if (shown) unmount(shown);
  shown = null;
}

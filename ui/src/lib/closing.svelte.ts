// How a form that holds typed text closes: Escape closes the innermost popup first (a
// suggestion list handles its own Escape and marks it handled), a form with typed text asks
// before throwing it away ("Discard your note?"), the focus goes back to whatever opened the
// form, and a form taken off the page unasked (another contact opened, another screen) keeps
// its text as a draft for the next time it opens.

/** Drafts of forms that went away unasked, by form ("log:12", "contact:new"), for this run. */
const drafts = new Map<string, unknown>();

/** Keeps what a form held, for the next time the same form opens. */
export function keepDraft(key: string, draft: unknown) {
  drafts.set(key, draft);
}

/** The draft kept for this form, handed over once (then forgotten). */
export function takeDraft<T>(key: string): T | undefined {
  const draft = drafts.get(key) as T | undefined;
  drafts.delete(key);
  return draft;
}

/**
 * Date and time fields whose calendar may be open: the browser's own popup, opened by a click,
 * which closes on Escape without saying so (the Escape still reaches the page).
 */
const pickerOpen = new WeakSet<Element>();
const PICKERS = "input[type='date'], input[type='datetime-local'], input[type='time'], input[type='month'], input[type='week']";

/** True when this Escape is the form's: nothing inside (a suggestion list, a calendar, a question) took it. */
export function escapeForForm(event: KeyboardEvent): boolean {
  if (event.key !== "Escape" || event.defaultPrevented || event.isComposing) return false;
  const target = event.target instanceof Element ? event.target : null;
  if (target && pickerOpen.has(target)) {
    // This Escape closed the field's calendar.
    pickerOpen.delete(target);
    return false;
  }
  return true;
}

/** The control last pressed with the pointer (a click need not focus a button). */
let lastPressed: HTMLElement | null = null;
if (typeof document !== "undefined") {
  document.addEventListener(
    "click",
    (event) => {
      if (event.target instanceof Element && event.target.matches(PICKERS)) pickerOpen.add(event.target);
    },
    true,
  );
  // A date chosen, or the field left: its calendar is closed.
  for (const type of ["change", "focusout"]) {
    document.addEventListener(type, (event) => event.target instanceof Element && pickerOpen.delete(event.target), true);
  }
  document.addEventListener(
    "pointerdown",
    (event) => {
      const target = event.target instanceof Element ? event.target.closest("button, a[href], [role='button']") : null;
      if (target instanceof HTMLElement) lastPressed = target;
    },
    true,
  );
}

/**
 * Remembers what opened a form (the focused control, else the one just pressed) and answers a
 * function that gives it the focus back. Call it when the form is created, before it moves
 * the focus. When the opener was drawn again meanwhile (the page under the form re-rendered),
 * its successor with the same id or test id gets the focus, once it is there. The focus is
 * given back only while it is lost (on the body), never taken from where the page put it.
 */
export function rememberOpener(): () => void {
  if (typeof document === "undefined") return () => {};
  const active = document.activeElement;
  const opener = active instanceof HTMLElement && active !== document.body ? active : lastPressed;
  if (!opener) return () => {};
  const id = opener.id || null;
  const testid = opener.dataset.testid ?? null;
  return () => {
    const until = Date.now() + 1500;
    const attempt = () => {
      if (typeof document === "undefined") return;
      // Someone gave the focus a place meanwhile (the page opened a person, say): leave it.
      const now = document.activeElement;
      if (now && now !== document.body && now.isConnected) return;
      let target: Element | null = opener.isConnected ? opener : null;
      if (!target && id) target = document.getElementById(id);
      if (!target && testid) target = document.querySelector(`[data-testid="${CSS.escape(testid)}"]`);
      if (target && "focus" in target && typeof target.focus === "function") target.focus();
      else if (Date.now() < until) setTimeout(attempt, 30);
    };
    // After the form's owner has taken it off the page.
    setTimeout(attempt, 0);
  };
}

/**
 * The closing of one form. `dirty` says whether it holds typed text; `close` takes it off the
 * page. Escape (`keydown` on the form) and its Cancel button call `request`: nothing typed,
 * it closes; else `asking` turns true and the form shows its question, whose buttons call
 * `keep` and `discard`.
 */
export class Closing {
  asking = $state(false);
  readonly #dirty: () => boolean;
  readonly #close: () => void;
  readonly #restore: () => void;
  /** Where the focus was when the question came, to go back to on "Keep editing". */
  #was: HTMLElement | null = null;
  #settled = false;

  constructor(dirty: () => boolean, close: () => void) {
    this.#dirty = dirty;
    this.#close = close;
    this.#restore = rememberOpener();
  }

  request = () => {
    if (!this.#dirty()) {
      this.discard();
      return;
    }
    const active = typeof document === "undefined" ? null : document.activeElement;
    this.#was = active instanceof HTMLElement ? active : null;
    this.asking = true;
  };

  keep = () => {
    this.asking = false;
    const was = this.#was;
    this.#was = null;
    if (was?.isConnected) was.focus();
  };

  discard = () => {
    this.asking = false;
    this.#settled = true;
    this.#close();
    this.#restore();
  };

  /** The form's keydown: an Escape no popup inside took asks to close. */
  keydown = (event: KeyboardEvent) => {
    if (!escapeForForm(event)) return;
    event.preventDefault();
    if (this.asking) this.keep();
    else this.request();
  };

  /** After the form did its work (saved): the focus goes back where it came from. */
  done = () => {
    this.#settled = true;
    this.#restore();
  };

  /** The form did its work (saved): nothing to keep as a draft. */
  settle = () => {
    this.#settled = true;
  };

  /** Whether the form goes away holding text nobody chose to discard or save: keep a draft. */
  get unsettled(): boolean {
    return !this.#settled && this.#dirty();
  }
}

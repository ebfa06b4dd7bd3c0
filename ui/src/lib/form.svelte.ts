// A form's errors, each beside the field it is about: the backend names the field of what it
// refuses (`CommandError.field`), the form names its own checks the same way, and an error
// that names no field is the form's own (`FORM`).

import { failure } from "./api";

/** The field name of an error about the whole form. */
export const FORM = "form";

export class FormErrors {
  #errors = $state<Record<string, string>>({});

  /** `form` names the form in test ids: `contact-error-displayName`. */
  constructor(readonly form: string) {}

  /** The test id of the error beside `field`. */
  testid(field: string): string {
    return `${this.form}-error-${field}`;
  }

  /** The error shown beside `field`, if any. */
  of(field: string): string | undefined {
    return this.#errors[field];
  }

  /** Whether anything is wrong. */
  get any(): boolean {
    return Object.keys(this.#errors).length > 0;
  }

  /** Shows `message` beside `field` (one error at a time: the latest). */
  set(field: string, message: string) {
    this.#errors = { [field]: message };
  }

  clear() {
    this.#errors = {};
  }

  /** Shows a failed call's sentence beside the field it names, or on the form. */
  fail(e: unknown) {
    const f = failure(e);
    this.set(f.show === "field" ? f.field : FORM, f.message);
  }
}

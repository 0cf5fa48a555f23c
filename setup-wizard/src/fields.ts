// Form building blocks with their accessibility wiring done once: <label for>, hints and
// errors tied to the control with aria-describedby, aria-invalid, and a live region per form.
import { h, uid, type Attrs, type Child } from './dom.ts';

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface Field<C extends Control = HTMLInputElement> {
  wrapper: HTMLDivElement;
  control: C;
  hint: HTMLParagraphElement;
  error: HTMLParagraphElement;
  /** Show (or clear with null) the error under the field. */
  setError(message: string | null): void;
  setHint(text: string): void;
  /** Add the id of another element that describes the control (e.g. a strength meter). */
  describeBy(id: string): void;
}

export interface FieldOptions {
  label: string;
  hint?: string;
  /** Extra content after the control (previews, meters, toggles). */
  after?: Child;
}

export function field<C extends Control>(control: C, options: FieldOptions): Field<C> {
  if (!control.id) control.id = uid('f');
  const hint = h('p', { class: 'hint', id: `${control.id}-hint` });
  const error = h('p', { class: 'field-error', id: `${control.id}-error` });
  const extra: string[] = [];
  const wrapper = h(
    'div',
    { class: 'field' },
    h('label', { for: control.id }, options.label),
    hint,
    error,
    control,
    options.after,
  );

  const wire = () => {
    const ids = [error.textContent ? error.id : '', hint.textContent ? hint.id : '', ...extra].filter(Boolean);
    if (ids.length) control.setAttribute('aria-describedby', ids.join(' '));
    else control.removeAttribute('aria-describedby');
  };

  const result: Field<C> = {
    wrapper,
    control,
    hint,
    error,
    setError(message) {
      error.textContent = message ?? '';
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
      wrapper.classList.toggle('has-error', Boolean(message));
      wire();
    },
    setHint(text) {
      hint.textContent = text;
      wire();
    },
    describeBy(id) {
      extra.push(id);
      wire();
    },
  };
  result.setHint(options.hint ?? '');
  return result;
}

export function input(attrs: Attrs): HTMLInputElement {
  return h('input', { type: 'text', ...attrs });
}

/** A live region for a form's errors and outcomes; it is in the page before anything is said. */
export function formAlert(): HTMLDivElement {
  return h('div', { class: 'form-alert', 'aria-live': 'assertive', 'aria-atomic': 'true' });
}

/**
 * Put `message` in a form's live region. `quiet` keeps it for screen readers only, for when the
 * same words are already shown next to the field they are about.
 */
export function say(region: HTMLElement, message: string, kind: 'error' | 'success' = 'error', quiet = false): void {
  region.classList.toggle('is-success', kind === 'success');
  region.classList.toggle('is-quiet', quiet);
  region.textContent = message;
}

/** Mark a form busy while a request is in flight; returns the function that ends it. */
export function busy(form: HTMLFormElement, button: HTMLButtonElement, label: string): () => void {
  const before = button.textContent ?? '';
  form.setAttribute('aria-busy', 'true');
  button.disabled = true;
  button.classList.add('is-busy');
  button.textContent = label;
  return () => {
    form.removeAttribute('aria-busy');
    button.disabled = false;
    button.classList.remove('is-busy');
    button.textContent = before;
  };
}

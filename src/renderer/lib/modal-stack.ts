/**
 * The open dialogs, newest on top. Only the top one answers Escape and keeps Tab inside itself; a
 * dialog opened from another stacks above it, and closing one gives focus back to the control
 * that was focused when it opened (when that control is still on the page).
 */
export interface ModalEntry {
  readonly id: number;
  /** What had focus when the dialog opened. */
  readonly opener: HTMLElement | null;
}

export interface ModalStack {
  /** Registers a dialog that is opening; `opener` is what had focus before it. */
  push(opener: Element | null): ModalEntry;
  /** Removes a closing dialog and returns focus to its opener. */
  pop(entry: ModalEntry): void;
  isTop(entry: ModalEntry): boolean;
  /** How many dialogs lie below this one (0 for the first). */
  depth(entry: ModalEntry): number;
  readonly size: number;
}

export function createModalStack(): ModalStack {
  const entries: ModalEntry[] = [];
  let next = 1;
  return {
    push(opener) {
      const entry: ModalEntry = { id: next++, opener: isFocusable(opener) ? opener : null };
      entries.push(entry);
      return entry;
    },
    pop(entry) {
      const i = entries.indexOf(entry);
      if (i < 0) return;
      entries.splice(i, 1);
      // a dialog under this one keeps focus; otherwise the control that opened this one gets it back
      if (i === entries.length && entry.opener?.isConnected) entry.opener.focus();
    },
    isTop: (entry) => entries[entries.length - 1] === entry,
    depth: (entry) => entries.indexOf(entry),
    get size() {
      return entries.length;
    },
  };
}

function isFocusable(el: Element | null): el is HTMLElement {
  return el !== null && typeof (el as HTMLElement).focus === 'function' && el !== el.ownerDocument.body;
}

const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

/** The controls Tab can reach inside `root`, in document order. */
export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !(el as HTMLButtonElement).disabled && el.getAttribute('aria-hidden') !== 'true' && !el.closest('[hidden]'));
}

/** Where Tab (or Shift+Tab) from `current` goes inside a dialog: round from the last control to the first and back. */
export function nextFocus(items: readonly HTMLElement[], current: Element | null, backwards: boolean): HTMLElement | null {
  if (items.length === 0) return null;
  const i = current ? items.indexOf(current as HTMLElement) : -1;
  if (i < 0) return backwards ? items[items.length - 1]! : items[0]!;
  return items[(i + (backwards ? -1 : 1) + items.length) % items.length]!;
}

/** The app's one stack. */
export const modalStack = createModalStack();

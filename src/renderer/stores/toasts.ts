import { defineStore } from 'pinia';
import { ref } from 'vue';

export interface Toast {
  id: number;
  message: string;
  kind: 'info' | 'error';
  action: { label: string; run: () => void } | null;
}

export interface DeferredDelete {
  /** Takes the item out of the lists at once. */
  hide(): void;
  /** Puts it back (Undo). */
  restore(): void;
  /** Deletes it for real when the undo window closes. */
  commit(): Promise<void>;
  message: string;
}

export const UNDO_WINDOW_MS = 8000;

/** Notifications, and deletions that wait out an undo window before they reach the disk. */
export function defineToastsStore() {
  return defineStore('toasts', () => {
    const toasts = ref<Toast[]>([]);
    const timers = new Map<number, ReturnType<typeof setTimeout>>();
    const pending = new Map<number, DeferredDelete>();
    let nextId = 1;

    function show(message: string, options: { kind?: Toast['kind']; action?: Toast['action']; timeoutMs?: number; onTimeout?: () => void } = {}): number {
      const id = nextId++;
      toasts.value = [...toasts.value, { id, message, kind: options.kind ?? 'info', action: options.action ?? null }];
      const ms = options.timeoutMs ?? (options.kind === 'error' ? 10_000 : 5000);
      timers.set(
        id,
        setTimeout(() => {
          dismiss(id);
          options.onTimeout?.();
        }, ms),
      );
      return id;
    }

    function dismiss(id: number): void {
      clearTimeout(timers.get(id));
      timers.delete(id);
      toasts.value = toasts.value.filter((t) => t.id !== id);
    }

    function deleteWithUndo(d: DeferredDelete): number {
      d.hide();
      let id = 0;
      id = show(d.message, {
        timeoutMs: UNDO_WINDOW_MS,
        action: {
          label: 'Undo',
          run: () => {
            pending.delete(id);
            dismiss(id);
            d.restore();
          },
        },
        onTimeout: () => {
          if (pending.delete(id)) void d.commit();
        },
      });
      pending.set(id, d);
      return id;
    }

    /** Commits every deletion still waiting (the project is closing). */
    async function flushDeletes(): Promise<void> {
      const all = [...pending.entries()];
      pending.clear();
      for (const [id] of all) dismiss(id);
      await Promise.all(all.map(([, d]) => d.commit()));
    }

    return { toasts, show, dismiss, deleteWithUndo, flushDeletes };
  });
}

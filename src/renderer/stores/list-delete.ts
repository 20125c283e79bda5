import type { Ref } from 'vue';
import { plainError } from '../lib/plain-errors';
import type { NavigationStore, ToastsStore } from './types';

export interface ListDelete<T extends { id: string; name: string }> {
  kind: 'dataset' | 'run';
  list: Ref<T[]>;
  id: string;
  toasts: ToastsStore;
  navigation: NavigationStore;
  /** Deletes on disk once the undo window has passed. */
  commit: () => Promise<void>;
  /** Whether the project the item belonged to is still the open one. */
  stillOpen: () => boolean;
  /** Puts the item back after a failed deletion (default: append it to the list). */
  putBack?: (item: T) => void;
}

/**
 * Deleting a dataset or a run: the item leaves the list at once, an Undo stays offered for a few
 * seconds, and only then is it deleted on disk. A failure puts it back and says why.
 */
export function deleteFromListWithUndo<T extends { id: string; name: string }>(d: ListDelete<T>): void {
  const index = d.list.value.findIndex((x) => x.id === d.id);
  const item = d.list.value[index];
  if (!item) return;
  d.toasts.deleteWithUndo({
    message: `Deleted ${d.kind} “${item.name}”.`,
    hide: () => {
      d.list.value = d.list.value.filter((x) => x.id !== d.id);
      d.navigation.forget(d.kind, d.id);
    },
    restore: () => {
      const next = [...d.list.value];
      next.splice(Math.min(index, next.length), 0, item);
      d.list.value = next;
    },
    commit: async () => {
      try {
        await d.commit();
      } catch (err) {
        d.toasts.show(`Could not delete “${item.name}”: ${plainError(err)}`, { kind: 'error' });
        if (!d.stillOpen()) return;
        if (d.putBack) d.putBack(item);
        else d.list.value = [...d.list.value, item];
      }
    },
  });
}

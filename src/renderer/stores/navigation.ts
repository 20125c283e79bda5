import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

/** The screens of an open project; a small store-driven switch instead of a router. */
export type Screen =
  | { name: 'overview' }
  | { name: 'dataset'; datasetId: string }
  | { name: 'setup'; datasetId?: string; fromRunId?: string }
  | { name: 'run'; runId: string }
  | { name: 'forecast'; runId: string }
  | { name: 'compare'; runIds?: string[] }
  | { name: 'generate'; runId?: string }
  | { name: 'sweep-setup' }
  | { name: 'sweep'; sweepId: string }
  | { name: 'inspect'; runId?: string };

const OVERVIEW: Screen = { name: 'overview' };

export function sameScreen(a: Screen, b: Screen): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function defineNavigationStore() {
  return defineStore('navigation', () => {
    const screen = ref<Screen>(OVERVIEW);
    const history = ref<Screen[]>([]);
    const canGoBack = computed(() => history.value.length > 0);

    function go(next: Screen): void {
      if (sameScreen(next, screen.value)) return;
      history.value = [...history.value.slice(-49), screen.value];
      screen.value = next;
    }

    function back(): void {
      const prev = history.value[history.value.length - 1];
      if (!prev) return;
      history.value = history.value.slice(0, -1);
      screen.value = prev;
    }

    function reset(): void {
      screen.value = OVERVIEW;
      history.value = [];
    }

    /** After something was deleted: leave any screen that shows it, and forget it in the history. */
    function forget(kind: 'dataset' | 'run', id: string): void {
      const shows = (s: Screen) => (kind === 'dataset' ? s.name === 'dataset' && s.datasetId === id : (s.name === 'run' || s.name === 'forecast') && s.runId === id);
      history.value = history.value.filter((s) => !shows(s));
      if (shows(screen.value)) screen.value = OVERVIEW;
    }

    return { screen, history, canGoBack, go, back, reset, forget };
  });
}

import type { defineNavigationStore } from './navigation';
import type { defineToastsStore } from './toasts';

export type NavigationStore = ReturnType<ReturnType<typeof defineNavigationStore>>;
export type ToastsStore = ReturnType<ReturnType<typeof defineToastsStore>>;

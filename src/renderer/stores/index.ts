/**
 * Stores are defined against a bridge passed in, never a global: the app passes the window's
 * bridge, tests pass an in-memory one.
 */
import { inject, type InjectionKey } from 'vue';
import type { Bridge } from '../bridge';
import { defineProjectsStore } from './projects';

export function createStores(bridge: Bridge) {
  return { useProjects: defineProjectsStore(bridge) };
}

export type Stores = ReturnType<typeof createStores>;
export const storesKey: InjectionKey<Stores> = Symbol('stores');

export function useStores(): Stores {
  const stores = inject(storesKey);
  if (!stores) throw new Error('Stores were not provided to the app');
  return stores;
}

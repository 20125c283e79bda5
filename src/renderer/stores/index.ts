/**
 * Stores are defined against a bridge passed in, never a global: the app passes the window's
 * bridge, tests pass an in-memory one.
 */
import { inject, type InjectionKey } from 'vue';
import type { Bridge } from '../bridge';
import { defineProjectsStore } from './projects';
import { defineNavigationStore } from './navigation';
import { defineToastsStore } from './toasts';
import { defineDatasetsStore } from './datasets';
import { defineRunsStore } from './runs';
import { defineGenerateStore } from './generate';
import { defineForecastStore } from './forecast';
import { defineSweepsStore } from './sweeps';
import { defineInspectStore } from './inspect';

export function createStores(bridge: Bridge) {
  const useProjects = defineProjectsStore(bridge);
  const useNavigation = defineNavigationStore();
  const useToasts = defineToastsStore();
  const useRuns = defineRunsStore(bridge, useProjects, useNavigation, useToasts);
  return {
    bridge,
    useProjects,
    useNavigation,
    useToasts,
    useDatasets: defineDatasetsStore(bridge, useProjects, useNavigation, useToasts),
    useRuns,
    useForecast: defineForecastStore(bridge, useProjects, useRuns, useToasts),
    useGenerate: defineGenerateStore(bridge, useProjects),
    useSweeps: defineSweepsStore(bridge, useProjects, () => useRuns(), useToasts),
    useInspect: defineInspectStore(bridge, useProjects),
  };
}

export type Stores = ReturnType<typeof createStores>;
export const storesKey: InjectionKey<Stores> = Symbol('stores');

export function useStores(): Stores {
  const stores = inject(storesKey);
  if (!stores) throw new Error('Stores were not provided to the app');
  return stores;
}

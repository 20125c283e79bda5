/**
 * The whole renderer (App.vue) mounted over the in-memory bridge with one seeded project open:
 * what the view tests drive. Charts are stubbed (their data preparation is tested as pure
 * functions). `closeApp` in an afterEach unmounts it.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia } from 'pinia';
import App from '../../src/renderer/App.vue';
import { createStores, storesKey } from '../../src/renderer/stores';
import type { Handlers } from '../../src/shared/ipc/handlers';
import { memoryBridge, type MemoryBackend } from './memory-bridge';

export const DIR = '/home/ada/tm.rnnlab';

type Seed = Parameters<MemoryBackend['seedProject']>[1];
type OpenedProject = ReturnType<MemoryBackend['seedProject']>;

let mounted: VueWrapper | null = null;

export async function openApp(seed: Seed, options: { overrides?: Partial<Handlers>; readOnly?: OpenedProject['readOnly'] } = {}) {
  const { bridge, backend } = memoryBridge(options.overrides ?? {});
  const opened = backend.seedProject(DIR, seed);
  if (options.readOnly !== undefined) opened.readOnly = options.readOnly;
  const stores = createStores(bridge);
  mounted = mount(App, { global: { plugins: [createPinia()], provide: { [storesKey as symbol]: stores }, stubs: { MetricChart: true } }, attachTo: document.body });
  await flushPromises();
  await stores.useProjects().open(DIR);
  await flushPromises();
  return { w: mounted, backend, stores };
}

export function closeApp(): void {
  mounted?.unmount();
  mounted = null;
  document.body.innerHTML = '';
}

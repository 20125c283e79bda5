// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { createStores } from '../../src/renderer/stores';
import { memoryBridge } from './memory-bridge';

describe('projects store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('loads app info and the recent list', async () => {
    const { bridge, backend } = memoryBridge();
    backend.recent = [{ dir: '/p/a.rnnlab', name: 'a', openedAt: '2026-01-01T00:00:00.000Z' }];
    const store = createStores(bridge).useProjects();
    await store.load();
    expect(store.info?.defaultProjectsDir).toBe('/home/ada/RNN Lab');
    expect(store.recent.map((r) => r.name)).toEqual(['a']);
  });

  it('creates a project, opens it and puts it first in the recent list', async () => {
    const { bridge } = memoryBridge();
    const store = createStores(bridge).useProjects();
    expect(await store.create('/home/ada', 'lstm-tests')).toBe(true);
    expect(store.current?.project.dir).toBe('/home/ada/lstm-tests.rnnlab');
    expect(store.recent[0]?.name).toBe('lstm-tests');
    expect(store.error).toBeNull();
  });

  it('reports a failed creation in the error message, keeping the welcome state', async () => {
    const { bridge } = memoryBridge();
    const store = createStores(bridge).useProjects();
    await store.create('/home/ada', 'dup');
    await store.close();
    expect(await store.create('/home/ada', 'dup')).toBe(false);
    expect(store.error).toMatch(/already exists/);
    expect(store.current).toBeNull();
    expect(store.busy).toBe(false);
  });

  it('surfaces payload validation from the router as a readable message', async () => {
    const { bridge } = memoryBridge();
    const store = createStores(bridge).useProjects();
    expect(await store.create('/home/ada', 'a/b')).toBe(false);
    expect(store.error).toMatch(/cannot contain/);
  });

  it('does nothing when the folder dialog is cancelled', async () => {
    const { bridge, backend } = memoryBridge();
    const store = createStores(bridge).useProjects();
    expect(await store.pickAndOpen()).toBe(false);
    expect(backend.calls).toEqual(['dialog:pickFolder']);
  });

  it('forgets a recent project', async () => {
    const { bridge } = memoryBridge();
    const store = createStores(bridge).useProjects();
    await store.create('/home/ada', 'x');
    await store.forget('/home/ada/x.rnnlab');
    expect(store.recent).toEqual([]);
  });
});

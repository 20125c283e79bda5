import { beforeEach, describe, expect, it, vi } from 'vitest';
import { buildBridge } from '../../src/preload/build-bridge';
import { eventChannels, requestChannels } from '../../src/shared/ipc/contract';

function leaves(value: unknown, path = 'rnnlab'): Array<[string, unknown]> {
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => leaves(v, `${path}.${k}`));
  return [[path, value]];
}

const mocks = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  listeners: new Map<string, (event: unknown, payload: unknown) => void>(),
  invoke: vi.fn(async (..._args: unknown[]): Promise<unknown> => ({ ok: true, value: 'pong' })),
  removeListener: vi.fn(),
  pathForFile: vi.fn((_file: unknown) => '/dropped/file.txt'),
}));

vi.mock('electron', () => ({
  webUtils: { getPathForFile: mocks.pathForFile },
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => mocks.exposed.set(key, api) },
  ipcRenderer: {
    invoke: mocks.invoke,
    on: (channel: string, fn: (event: unknown, payload: unknown) => void) => mocks.listeners.set(channel, fn),
    removeListener: mocks.removeListener,
  },
}));

describe('preload bridge', () => {
  beforeEach(() => vi.clearAllMocks());

  it('exposes functions only, one verb per contract channel and one subscription per event', () => {
    const bridge = buildBridge(async () => null, () => () => {}, { files: { pathFor: () => '/x' } });
    const all = leaves(bridge);
    for (const [path, v] of all) expect(typeof v, path).toBe('function');
    const names = all.map(([p]) => p).sort();
    const expected = [
      ...requestChannels.map((c) => `rnnlab.${c.replace(':', '.')}`),
      ...eventChannels.map((c) => {
        const [ns, verb] = c.split(':') as [string, string];
        return `rnnlab.${ns}.on${verb[0]!.toUpperCase()}${verb.slice(1)}`;
      }),
      'rnnlab.files.pathFor',
    ].sort();
    expect(names).toEqual(expected);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('exposes the bridge as window.rnnlab through contextBridge, and nothing else', async () => {
    await import('../../src/preload/index');
    expect([...mocks.exposed.keys()]).toEqual(['rnnlab']);
    const api = mocks.exposed.get('rnnlab') as { projects: { create: (r: unknown) => Promise<unknown> } };
    for (const [path, v] of leaves(api)) expect(typeof v, path).toBe('function');
    await api.projects.create({ parentDir: '/p', name: 'n' });
    expect(mocks.invoke).toHaveBeenCalledWith('projects:create', { parentDir: '/p', name: 'n' });
  });

  it('answers the path of a dropped file through webUtils and registers it with main on the preload-only channel', async () => {
    await import('../../src/preload/index');
    const api = mocks.exposed.get('rnnlab') as { files: { pathFor: (f: unknown) => string } };
    expect(api.files.pathFor(new Blob(['x']))).toBe('/dropped/file.txt');
    expect(mocks.invoke.mock.calls).toEqual([['files:dropped', { path: '/dropped/file.txt' }]]);
    expect(leaves(api).map(([p]) => p)).not.toContain('rnnlab.files.dropped');
  });

  it('registers nothing for a file webUtils has no path for', async () => {
    await import('../../src/preload/index');
    mocks.pathForFile.mockReturnValueOnce('');
    const api = mocks.exposed.get('rnnlab') as { files: { pathFor: (f: unknown) => string } };
    expect(api.files.pathFor(new Blob(['x']))).toBe('');
    expect(mocks.invoke).not.toHaveBeenCalled();
  });

  it('sends a request only after the drop registrations before it were answered', async () => {
    await import('../../src/preload/index');
    const order: string[] = [];
    let answerDrop!: () => void;
    mocks.invoke.mockImplementationOnce(async (channel: unknown) => {
      order.push(`sent ${String(channel)}`);
      await new Promise<void>((ok) => (answerDrop = ok));
      order.push('drop answered');
      return { ok: true, value: { registered: true } };
    });
    mocks.invoke.mockImplementationOnce(async (channel: unknown) => {
      order.push(`sent ${String(channel)}`);
      return { ok: true, value: 'pong' };
    });
    const api = mocks.exposed.get('rnnlab') as { files: { pathFor: (f: unknown) => string }; datasets: { import: (r: unknown) => Promise<unknown> } };
    const path = api.files.pathFor(new Blob(['x']));
    const imported = api.datasets.import({ projectDir: '/p', filePath: path });
    await new Promise((ok) => setTimeout(ok, 10));
    expect(order).toEqual(['sent files:dropped']);
    answerDrop();
    await imported;
    expect(order).toEqual(['sent files:dropped', 'drop answered', 'sent datasets:import']);
  });

  it('hands subscribers the payload alone, never the IPC event, and unsubscribes', async () => {
    await import('../../src/preload/index');
    const api = mocks.exposed.get('rnnlab') as { projects: { onChanged: (cb: (...a: unknown[]) => void) => () => void } };
    const seen: unknown[][] = [];
    const off = api.projects.onChanged((...args) => seen.push(args));
    const fakeEvent = { sender: { send: () => {} }, ports: [] };
    mocks.listeners.get('projects:changed')!(fakeEvent, { dir: '/p' });
    expect(seen).toEqual([[{ dir: '/p' }]]);
    off();
    expect(mocks.removeListener).toHaveBeenCalledWith('projects:changed', mocks.listeners.get('projects:changed'));
  });

  it('rejects a subscription that is not a function', () => {
    const bridge = buildBridge(async () => null, () => () => {}, { files: { pathFor: () => '/x' } }) as unknown as { projects: { onChanged: (x: unknown) => unknown } };
    expect(() => bridge.projects.onChanged('nope')).toThrow(TypeError);
  });
});

/**
 * An in-memory bridge for store and component tests: the preload's real `buildBridge` over the
 * real router, with handlers that keep projects in a Map instead of on disk.
 */
import { buildBridge } from '../../src/preload/build-bridge';
import { createDispatcher } from '../../src/main/router';
import { AppError } from '../../src/shared/errors';
import type { Handlers } from '../../src/shared/ipc/handlers';
import { PENDING_CHANNELS, pendingHandlers } from '../../src/core/pending-handlers';
import type { OpenedProject, RecentProject } from '../../src/shared/dto';
import { wrapBridge, type Bridge } from '../../src/renderer/bridge';

export interface MemoryBackend {
  projects: Map<string, OpenedProject>;
  recent: RecentProject[];
  pickFolderResult: string | null;
  calls: string[];
}

export function memoryBridge(overrides: Partial<Handlers> = {}): { bridge: Bridge; backend: MemoryBackend } {
  const backend: MemoryBackend = { projects: new Map(), recent: [], pickFolderResult: null, calls: [] };
  const handlers = {
    ...pendingHandlers(PENDING_CHANNELS),
    'app:info': () => ({ name: 'RNN Lab', version: 'test', platform: 'linux', defaultProjectsDir: '/home/ada/RNN Lab', pathSeparator: '/' }),
    'projects:create': ({ parentDir, name }) => {
      const dir = `${parentDir}/${name}.rnnlab`;
      if (backend.projects.has(dir)) throw new AppError('NotEmpty', `The folder ${dir} already exists and is not empty.`);
      const project = { dir, name, created: '2026-11-26T00:00:00.000Z', formatVersion: 1 };
      backend.projects.set(dir, { project, datasets: [], runs: [], problems: [] });
      return project;
    },
    'projects:open': ({ dir }) => {
      const p = backend.projects.get(dir);
      if (!p) throw new AppError('NotAProject', `${dir} is not an RNN Lab project.`);
      backend.recent = [{ dir, name: p.project.name, openedAt: '2026-11-26T00:00:00.000Z' }, ...backend.recent.filter((r) => r.dir !== dir)];
      return p;
    },
    'projects:recent': () => backend.recent,
    'projects:forget': ({ dir }) => (backend.recent = backend.recent.filter((r) => r.dir !== dir)),
    'dialog:pickFolder': () => ({ path: backend.pickFolderResult }),
    'dialog:pickFile': () => ({ path: backend.pickFolderResult }),
    'dialog:saveFile': () => ({ path: null }),
    'shell:openExternal': () => ({ opened: false }),
    ...overrides,
  } as Handlers;
  const dispatch = createDispatcher(handlers, () => null);
  const raw = buildBridge(
    (channel, payload) => {
      backend.calls.push(channel);
      return dispatch({ sender: { id: 1 }, senderFrame: { url: 'memory:', parent: null } }, channel, payload);
    },
    () => () => {},
    { files: { pathFor: (file) => `/dropped/${(file as File).name}` } },
  );
  return { bridge: wrapBridge(raw), backend };
}

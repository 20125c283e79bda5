// The sandboxed preload: the only code with ipcRenderer. It exposes the contract's verbs, nothing else.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { buildBridge } from './build-bridge';
import { createDropPaths } from './drop-paths';
import type { PreloadChannel } from '../shared/ipc/contract';

const drops = createDropPaths(
  (file) => webUtils.getPathForFile(file as File),
  (path) => ipcRenderer.invoke('files:dropped' satisfies PreloadChannel, { path }),
);

const bridge = buildBridge(
  drops.ordered((channel: string, payload: unknown) => ipcRenderer.invoke(channel, payload)),
  (channel, listener) => {
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
  { files: { pathFor: (file) => drops.pathFor(file) } },
);

contextBridge.exposeInMainWorld('rnnlab', bridge);

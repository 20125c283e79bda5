// The sandboxed preload: the only code with ipcRenderer. It exposes the contract's verbs, nothing else.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { buildBridge } from './build-bridge';

const bridge = buildBridge(
  (channel, payload) => ipcRenderer.invoke(channel, payload),
  (channel, listener) => {
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
  { files: { pathFor: (file) => webUtils.getPathForFile(file as File) } },
);

contextBridge.exposeInMainWorld('rnnlab', bridge);

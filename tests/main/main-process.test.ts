import { beforeAll, describe, expect, it, vi } from 'vitest';
import { preloadChannels, requestChannels } from '../../src/shared/ipc/contract';

// Electron is mocked: these tests check that the thin main module wires the pure policies in.
const m = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const contentsHandlers = new Map<string, Listener>();
  const state = {
    windows: [] as Array<{ options: Record<string, unknown>; windowListeners: Map<string, unknown[]> }>,
    contentsHandlers,
    appHandlers: new Map<string, Listener>(),
    ipcChannels: [] as string[],
    ipcListeners: new Map<string, Listener>(),
    openHandler: null as null | ((d: { url: string }) => unknown),
    permissionRequest: null as null | Listener,
    permissionCheck: null as null | Listener,
    openExternal: vi.fn(async () => {}),
    loadFile: vi.fn(async () => {}),
    loadURL: vi.fn(async () => {}),
    ready: null as null | (() => void),
    focus: vi.fn(),
  };
  return state;
});

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = {
      id: 1,
      on: (name: string, fn: (...a: unknown[]) => unknown) => m.contentsHandlers.set(name, fn),
      once: (name: string, fn: (...a: unknown[]) => unknown) => m.contentsHandlers.set(name, fn),
      setWindowOpenHandler: (fn: (d: { url: string }) => unknown) => (m.openHandler = fn),
      send: vi.fn(),
    };
    constructor(public options: Record<string, unknown>) {
      m.windows.push(this);
    }
    static getAllWindows = () => m.windows;
    windowListeners = new Map<string, unknown[]>();
    once() {}
    on(name: string, fn: unknown) {
      this.windowListeners.set(name, [...(this.windowListeners.get(name) ?? []), fn]);
    }
    maximize() {}
    isMinimized() {
      return false;
    }
    restore() {}
    focus = m.focus;
    isMaximized() {
      return false;
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 1280, height: 820 };
    }
    show() {}
    loadFile = m.loadFile;
    loadURL = m.loadURL;
  }
  return {
    app: {
      isPackaged: true,
      whenReady: () => new Promise<void>((ok) => (m.ready = ok)),
      getPath: (k: string) => `/tmp/rnnlab-mock/${k}`,
      getVersion: () => '0.0.0-test',
      on: (name: string, fn: (...a: unknown[]) => unknown) => m.appHandlers.set(name, fn),
      quit: vi.fn(),
      exit: vi.fn(),
      requestSingleInstanceLock: vi.fn(() => true),
    },
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, listener: (...a: unknown[]) => unknown) => {
        m.ipcChannels.push(channel);
        m.ipcListeners.set(channel, listener);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: (...a: unknown[]) => unknown) => (m.permissionRequest = fn),
        setPermissionCheckHandler: (fn: (...a: unknown[]) => unknown) => (m.permissionCheck = fn),
      },
    },
    shell: { openExternal: m.openExternal },
    dialog: { showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] })) },
  };
});

beforeAll(async () => {
  await import('../../src/main/index');
  m.ready!();
  await vi.waitFor(() => expect(m.windows).toHaveLength(1));
});

describe('main process wiring (electron mocked)', () => {
  it('creates the window with the secure options and loads the built page from disk', () => {
    expect(m.windows).toHaveLength(1);
    const prefs = m.windows[0]!.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(String(prefs['preload'])).toMatch(/preload[\\/]index\.cjs$/);
    expect(m.loadFile).toHaveBeenCalledOnce();
    expect(m.loadURL).not.toHaveBeenCalled();
  });

  it('guards the window’s close (asking while runs train) besides saving its bounds', () => {
    expect(m.windows[0]!.windowListeners.get('close')).toHaveLength(2);
  });

  it('registers every contract channel and the preload drop channel through the router', () => {
    expect([...m.ipcChannels].sort()).toEqual([...requestChannels, ...preloadChannels].sort());
  });

  it('puts the access policy in front of the handlers: a project that is not open is refused', async () => {
    // The trusted sender: the window (webContents 1) showing the built page, as index.ts computes it.
    const event = { sender: { id: 1 }, senderFrame: { url: new URL('../../src/renderer/index.html', import.meta.url).href, parent: null } };
    const listRuns = m.ipcListeners.get('runs:list')!;
    expect(await listRuns(event, { projectDir: '/tmp/rnnlab-mock/elsewhere.rnnlab' })).toMatchObject({ ok: false, error: { code: 'ForbiddenPath' } });
    const importFile = m.ipcListeners.get('datasets:import')!;
    expect(await importFile(event, { projectDir: '/tmp/rnnlab-mock/elsewhere.rnnlab', filePath: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'ForbiddenPath' } });
  });

  it('denies every permission request and check', () => {
    const callback = vi.fn();
    m.permissionRequest!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(m.permissionCheck!({}, 'notifications')).toBe(false);
  });

  it('prevents navigation away from the app and never opens a new window', () => {
    const preventDefault = vi.fn();
    m.contentsHandlers.get('will-navigate')!({ preventDefault }, 'https://evil.example/');
    expect(preventDefault).toHaveBeenCalled();
    expect(m.openHandler!({ url: 'https://d2l.ai/' })).toEqual({ action: 'deny' });
    expect(m.openExternal).toHaveBeenCalledWith('https://d2l.ai/');
    m.openExternal.mockClear();
    expect(m.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(m.openExternal).not.toHaveBeenCalled();
  });

  it('takes the single-instance lock; a second launch focuses the window and asks it to open the project it names', () => {
    const send = m.windows[0]!['webContents' as never] as { send: ReturnType<typeof vi.fn> };
    send.send.mockClear();
    m.appHandlers.get('second-instance')!({}, ['/opt/RNN Lab/rnn-lab', '--no-sandbox', 'projects/My work.rnnlab/'], '/home/u');
    expect(m.focus).toHaveBeenCalledOnce();
    expect(send.send).toHaveBeenCalledWith('projects:openRequested', { dir: '/home/u/projects/My work.rnnlab' });
    send.send.mockClear();
    m.appHandlers.get('second-instance')!({}, ['/opt/RNN Lab/rnn-lab'], '/home/u');
    expect(m.focus).toHaveBeenCalledTimes(2);
    expect(send.send).not.toHaveBeenCalled();
  });

  it('blocks webviews from being attached', () => {
    const preventDefault = vi.fn();
    m.contentsHandlers.get('will-attach-webview')!({ preventDefault });
    expect(preventDefault).toHaveBeenCalled();
  });
});

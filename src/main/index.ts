// Electron main: window, policies and the IPC router. Kept thin; the work happens in src/core.
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createAppHandlers } from '../core/app-handlers';
import { createProjectServices } from '../core/project-services';
import { NodeFileSystem } from '../core/fs/node-file-system';
import { loadWindowState, saveWindowState, type WindowState } from '../core/window-state';
import { createDataHandlers } from '../core/handlers/runs-handlers';
import { createExportHandlers, type SavePurpose } from '../core/handlers/export-handlers';
import { createFileHandlers } from '../core/handlers/files-handlers';
import { createTrainingHandlers } from '../core/handlers/training-handlers';
import { createDemoHandlers } from '../core/handlers/demo-handlers';
import { createSweepHandlers } from '../core/handlers/sweeps-handlers';
import { TrainingHost } from '../core/training/training-host';
import { ProjectWriter } from '../core/project-writer';
import { guardWrites } from '../core/handlers/write-guard';
import { workerTasks } from '../core/tasks/worker-tasks';
import { availableParallelism } from 'node:os';
import { allowNavigation, isSafeExternalUrl, mainWindowOptions, permissionCheckDecision, permissionRequestDecision, windowOpenDecision } from './security';
import { checkEvent, createDispatcher, registerIpc, senderCheck } from './router';
import { guardClose } from './close-guard';
import { createDialogHandlers } from './dialogs';
import { createAccessPolicy } from './access-policy';
import { projectDirFromArgv } from './launch-args';
import type { EmitEvent, Handlers } from '../shared/ipc/handlers';

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const indexFile = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
const devUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const appUrl = devUrl ?? pathToFileURL(indexFile).href;
// Holds demo/ (the bundled demo project): the app's resources folder when packaged, the repo's resources/
// (seen from out/main/) otherwise. A variable, so the bundler does not treat the folder as an asset.
const RESOURCES_FROM_MAIN = '../../resources';
const resourcesDir = app.isPackaged ? process.resourcesPath : fileURLToPath(new URL(RESOURCES_FROM_MAIN, import.meta.url));

// One app process at a time: a second launch hands its argv to this one and quits.
const isPrimary = app.requestSingleInstanceLock();
if (!isPrimary) app.exit(0);

let mainWindow: BrowserWindow | null = null;

const emit: EmitEvent = (channel, payload) => {
  mainWindow?.webContents.send(channel, checkEvent(channel, payload));
};

const fs = new NodeFileSystem();

// Trainers are worker threads (out/main/trainer-worker.js); leave a core for the window.
const training = new TrainingHost({ fs, emit: (event) => emit('runs:update', event), maxConcurrent: Math.max(1, Math.min(4, availableParallelism() - 1)) });
// Run creation, generation, scoring, export and inspection run in a worker thread
// (out/main/task-worker.js), after the access policy and the write guard have let the request through.
const tasks = workerTasks();
// The project the window shows holds its writer lock; one another process holds opens read-only.
const writer = new ProjectWriter({ fs, live: training });

// Requests may name only the open project and paths the user chose (or a recent project to open).
let recentDirs: () => Promise<readonly string[]> = () => Promise.resolve([]);
const policy = createAccessPolicy({ recentDirs: () => recentDirs() });

/** A project named on the command line is the user's choice: the window may open it. */
function requestOpen(dir: string): void {
  policy.chooseFolder(dir);
  emit('projects:openRequested', { dir });
}

app.on('second-instance', (_event, argv, workingDirectory) => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
  const dir = projectDirFromArgv(argv, workingDirectory);
  if (dir !== null) requestOpen(dir);
});

function createWindow(saved: WindowState | null): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(preloadPath, saved ?? undefined));
  if (saved?.maximized) win.maximize();
  guardClose(win, { training, dialog, quitsOnClose: process.platform !== 'darwin' });
  win.on('close', () => {
    const b = win.getNormalBounds();
    void saveWindowState(fs, app.getPath('userData'), { width: b.width, height: b.height, x: b.x, y: b.y, maximized: win.isMaximized() });
  });
  const contents = win.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!allowNavigation(url, appUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!allowNavigation(url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) void shell.openExternal(url);
    return { action: decision.action };
  });
  win.once('ready-to-show', () => win.show());
  const launched = projectDirFromArgv(process.argv, process.cwd());
  if (launched !== null) contents.once('did-finish-load', () => requestOpen(launched));
  void (devUrl ? win.loadURL(devUrl) : win.loadFile(indexFile));
  return win;
}

app.whenReady().then(async () => {
  if (!isPrimary) return;
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionRequestDecision(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => permissionCheckDecision(permission));

  const dialogs = createDialogHandlers(() => mainWindow, dialog);
  const chooseSavePath = async (purpose: SavePurpose, suggestedName: string) => (await dialogs['dialog:saveFile']({ purpose, suggestedName })).path;
  const projectServices = createProjectServices(app.getPath('userData'), fs, writer);
  const handlers: Handlers = guardWrites({
    ...createAppHandlers({
      services: projectServices,
      documentsDir: app.getPath('documents'),
      version: app.getVersion(),
      onProjectChanged: (dir) => emit('projects:changed', { dir }),
    }),
    ...dialogs,
    ...createDataHandlers({ fs, emit, live: training, tasks }),
    ...createTrainingHandlers({ host: training }),
    ...createExportHandlers({ fs, chooseSavePath, chooseFolder: async () => (await dialogs['dialog:pickFolder']({ purpose: 'pytorch-run' })).path, tasks }),
    ...createFileHandlers({ fs, chooseSavePath }),
    ...createDemoHandlers({ fs, appDataDir: app.getPath('userData'), resourcesDir, services: projectServices }),
    ...createSweepHandlers({ fs, host: training, emit, tasks }),
    'shell:openExternal': async ({ url }) => {
      if (!isSafeExternalUrl(url)) return { opened: false };
      await shell.openExternal(url);
      return { opened: true };
    },
  }, writer);
  const trusted = { webContentsId: () => mainWindow?.webContents.id, ...(devUrl ? { devOrigin: devUrl } : { fileUrl: appUrl }) };
  recentDirs = async () => (await projectServices.recent.list()).map((r) => r.dir);
  registerIpc(ipcMain, createDispatcher(handlers, senderCheck(trusted), policy));

  const saved = await loadWindowState(fs, app.getPath('userData')).catch(() => null);
  mainWindow = createWindow(saved);
  mainWindow.on('closed', () => (mainWindow = null));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow(saved);
  });
});

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

// Quitting waits for every trainer to checkpoint (running runs become `interrupted` and resume
// later), then lets the project locks go.
let trainingSaved = false;
app.on('before-quit', (event) => {
  if (trainingSaved) return;
  event.preventDefault();
  void training
    .shutdown()
    .catch((e: unknown) => console.error('[quit] saving training state failed', e))
    .then(() => tasks.close())
    .then(() => writer.releaseAll())
    .finally(() => {
      trainingSaved = true;
      app.quit();
    });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

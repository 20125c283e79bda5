/**
 * The handler table the e2e tests put behind the page's bridge: the same factories src/main/index.ts
 * uses, on the real disk, with a real training host. Only the native dialogs are scripted.
 */
import { resolve } from 'node:path';
import { createAppHandlers } from '../../src/core/app-handlers';
import { createProjectServices } from '../../src/core/project-services';
import { createDataHandlers } from '../../src/core/handlers/runs-handlers';
import { createExportHandlers } from '../../src/core/handlers/export-handlers';
import { createFileHandlers } from '../../src/core/handlers/files-handlers';
import { createTrainingHandlers } from '../../src/core/handlers/training-handlers';
import { createDemoHandlers } from '../../src/core/handlers/demo-handlers';
import { createSweepHandlers } from '../../src/core/handlers/sweeps-handlers';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { TrainingHost } from '../../src/core/training/training-host';
import { ProjectWriter } from '../../src/core/project-writer';
import { guardWrites } from '../../src/core/handlers/write-guard';
import { workerTasks } from '../../src/core/tasks/worker-tasks';
import type { EmitEvent, Handlers } from '../../src/shared/ipc/handlers';

const RESOURCES = resolve(import.meta.dirname, '../../resources');

export interface ScriptedDialogs {
  /** Answers for the folder and file pickers and the save dialog; null means the user cancelled. */
  pickFolder?: () => string | null;
  pickFile?: () => string | null;
  savePath?: (suggestedName: string) => string | null;
}

export interface RealBackend {
  handlers: (emit: EmitEvent) => Handlers;
  /** Checkpoints and stops every run, as quitting the app does. */
  shutdown(): Promise<void>;
}

export function realBackend(appData: string, documents: string, dialogs: ScriptedDialogs = {}): RealBackend {
  let training: TrainingHost | null = null;
  let writer: ProjectWriter | null = null;
  const tasks = workerTasks();
  return {
    handlers: (emit) => {
      const fs = new NodeFileSystem();
      training = new TrainingHost({ fs, emit: (event) => emit('runs:update', event) });
      writer = new ProjectWriter({ fs, live: training });
      const services = createProjectServices(appData, fs, writer);
      const chooseSavePath = async (_purpose: string, name: string) => dialogs.savePath?.(name) ?? null;
      return guardWrites({
        ...createAppHandlers({ services, documentsDir: documents, version: 'e2e', onProjectChanged: (dir) => emit('projects:changed', { dir }) }),
        ...createDataHandlers({ fs, emit, live: training, tasks }),
        ...createTrainingHandlers({ host: training }),
        ...createExportHandlers({ fs, chooseSavePath, tasks }),
        ...createFileHandlers({ fs, chooseSavePath }),
        ...createDemoHandlers({ fs, appDataDir: appData, resourcesDir: RESOURCES, services }),
        ...createSweepHandlers({ fs, host: training, emit, tasks }),
        'dialog:pickFolder': async () => ({ path: dialogs.pickFolder?.() ?? null }),
        'dialog:pickFile': async () => ({ path: dialogs.pickFile?.() ?? null }),
        'dialog:saveFile': async ({ suggestedName }) => ({ path: dialogs.savePath?.(suggestedName) ?? null }),
        'shell:openExternal': async () => ({ opened: false }),
      }, writer);
    },
    shutdown: async () => {
      await training?.shutdown();
      await tasks.close();
      await writer?.releaseAll();
    },
  };
}

/**
 * The `export:run` and `import:weights` channels. Export asks the caller's save dialog for the
 * path (so the renderer never names where files are written); import reads the files the user
 * picked and answers with the new run's summary.
 */
import { isAbsolute } from 'node:path';
import { AppError } from '../../shared/errors';
import type { RequestOf } from '../../shared/ipc/contract';
import type { Handlers } from '../../shared/ipc/handlers';
import { importWeights, suggestedExportName } from '../export';
import { importPytorchRun } from '../export/train-elsewhere';
import type { FileSystem } from '../fs/file-system';
import { RunsService } from '../services/runs-service';
import { readRun } from '../store/runs';
import { inProcessTasks } from '../tasks/in-process-tasks';
import type { Tasks } from '../tasks/task-table';

export type ExportChannel = 'export:run' | 'import:weights' | 'export:pytorchRun' | 'import:pytorchRun';
export type ExportHandlers = Pick<Handlers, ExportChannel>;
export type SavePurpose = RequestOf<'dialog:saveFile'>['purpose'];

export interface ExportHandlerOptions {
  fs: FileSystem;
  /** Shows the save dialog; null when the user cancels. */
  chooseSavePath: (purpose: SavePurpose, suggestedName: string) => Promise<string | null>;
  /** Shows a folder dialog (train.py's output for `import:pytorchRun`); null when the user cancels. */
  chooseFolder?: () => Promise<string | null>;
  runs?: RunsService;
  /** Where loading the weights and writing the export run (default: in this thread). */
  tasks?: Tasks;
}

export function createExportHandlers({ fs, chooseSavePath, chooseFolder = async () => null, runs = new RunsService({ fs }), tasks = inProcessTasks(fs) }: ExportHandlerOptions): ExportHandlers {
  return {
    'export:run': async (request) => {
      const { projectDir, runId, checkpoint, format } = request;
      // refuse a run without weights before the dialog opens
      const { runName } = await tasks.run('export:inspect', projectDir, runId, checkpoint);
      const path = await chooseSavePath(`export-${format}`, suggestedExportName(runName, format));
      if (path === null) return { path: null, checkpoint: null, files: [] };
      const result = await tasks.run('export:run', { ...request, out: path });
      return { path, checkpoint: result.checkpoint, files: result.files };
    },
    'import:weights': async (request) => {
      const paths = 'jsonPath' in request ? [request.jsonPath] : [request.weightsPath, request.configPath, request.vocabPath];
      const relative = paths.find((p) => !isAbsolute(p));
      if (relative !== undefined) throw new AppError('RelativePath', `Choose the file by its full path, not "${relative}".`, { path: relative });
      const run = await importWeights(fs, request);
      return runs.summary(request.projectDir, run);
    },
    'export:pytorchRun': async ({ projectDir, runId }) => {
      // a missing run is refused before the dialog opens
      const { name } = await readRun(fs, projectDir, runId);
      const path = await chooseSavePath('export-pytorch-run', `${suggestedExportName(name, 'json').slice(0, -'.json'.length)}-pytorch`);
      if (path === null) return { path: null, files: [] };
      return { path, files: await tasks.run('export:pytorchRun', { projectDir, runId, out: path }) };
    },
    'import:pytorchRun': async ({ projectDir, name }) => {
      const dir = await chooseFolder();
      if (dir === null) return { run: null };
      if (!isAbsolute(dir)) throw new AppError('RelativePath', `Choose the folder by its full path, not "${dir}".`, { path: dir });
      const run = await importPytorchRun(fs, { projectDir, dir, ...(name !== undefined && { name }) });
      return { run: await runs.summary(projectDir, run) };
    },
  };
}

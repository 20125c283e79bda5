/**
 * The `export:run` and `import:weights` channels. Export asks the caller's save dialog for the
 * path (so the renderer never names where files are written); import reads the files the user
 * picked and answers with the new run's summary.
 */
import { isAbsolute } from 'node:path';
import { AppError } from '../../shared/errors';
import type { RequestOf } from '../../shared/ipc/contract';
import type { Handlers } from '../../shared/ipc/handlers';
import { exportRun, importWeights, loadExportable, suggestedExportName } from '../export';
import type { FileSystem } from '../fs/file-system';
import { RunsService } from '../services/runs-service';

export type ExportChannel = 'export:run' | 'import:weights';
export type ExportHandlers = Pick<Handlers, ExportChannel>;
export type SavePurpose = RequestOf<'dialog:saveFile'>['purpose'];

export interface ExportHandlerOptions {
  fs: FileSystem;
  /** Shows the save dialog; null when the user cancels. */
  chooseSavePath: (purpose: SavePurpose, suggestedName: string) => Promise<string | null>;
  runs?: RunsService;
}

export function createExportHandlers({ fs, chooseSavePath, runs = new RunsService({ fs }) }: ExportHandlerOptions): ExportHandlers {
  return {
    'export:run': async ({ projectDir, runId, checkpoint, format, prefix }) => {
      // refuse a run without weights before the dialog opens
      const { runName } = await loadExportable(fs, projectDir, runId, checkpoint);
      const path = await chooseSavePath(`export-${format}`, suggestedExportName(runName, format));
      if (path === null) return { path: null, checkpoint: null, files: [] };
      const result = await exportRun(fs, { projectDir, runId, checkpoint, format, out: path, ...(prefix !== undefined && { prefix }) });
      return { path, checkpoint: result.checkpoint, files: result.files };
    },
    'import:weights': async (request) => {
      const paths = 'jsonPath' in request ? [request.jsonPath] : [request.weightsPath, request.configPath, request.vocabPath];
      const relative = paths.find((p) => !isAbsolute(p));
      if (relative !== undefined) throw new AppError('RelativePath', `Choose the file by its full path, not "${relative}".`, { path: relative });
      const run = await importWeights(fs, request);
      return runs.summary(request.projectDir, run);
    },
  };
}

/**
 * `rnn-lab export` on a forecast run: the forecaster exports of engine/export/forecast-export.ts
 * written with the same naming and no-overwrite rules as a text run's export (core/export).
 *
 * | format        | `out`                     | files written                                   |
 * | ------------- | ------------------------- | ----------------------------------------------- |
 * | `safetensors` | a folder                  | model.safetensors, config.json in it            |
 * | `safetensors` | a path NAME.safetensors   | that file and NAME.config.json beside it        |
 * | `onnx`        | the .onnx file            | one file                                        |
 */
import { safetensorsPaths, writeExportFiles, type ExportedFile, type ExportFormat } from '../../core/export';
import type { FileSystem } from '../../core/fs/file-system';
import { exportForecaster, type ForecastExportMeta } from '../../engine/export';
import { UsageError } from '../usage-error';
import { loadForecastCheckpoint } from '../../core/forecast/forecast-run';

export const FORECAST_EXPORT_FORMATS = ['safetensors', 'onnx'] as const satisfies readonly ExportFormat[];

export async function exportForecastRun(fs: FileSystem, request: { projectDir: string; runId: string; checkpoint: string | null; format: ExportFormat; out: string }): Promise<{ files: ExportedFile[]; checkpoint: string }> {
  const { format, out, runId } = request;
  if (format !== 'safetensors' && format !== 'onnx') {
    throw new UsageError(`--format: run ${runId} is a forecast run, which exports as ${FORECAST_EXPORT_FORMATS.join(' or ')}, not ${format} (the ${format} export holds a text model and its vocabulary)`);
  }
  const { model, state, checkpoint } = await loadForecastCheckpoint(fs, request.projectDir, runId, request.checkpoint);
  const meta: ForecastExportMeta = { window: state.window, horizon: state.horizon, normalization: state.normalization, targets: state.targets, featureNames: state.features };
  const built = new Map(exportForecaster(model, meta, format === 'safetensors' ? 'pytorch' : 'onnx').map((f) => [f.name, f.bytes]));
  const files = format === 'onnx'
    ? [{ path: out, data: built.get('model.onnx')! }]
    : (() => {
        const paths = safetensorsPaths(out, ['config']);
        return [{ path: paths.weights, data: built.get('model.safetensors')! }, { path: paths.companions.config!, data: built.get('config.json')! }];
      })();
  return { files: await writeExportFiles(fs, files), checkpoint };
}

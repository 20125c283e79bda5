/**
 * Exporting a run's checkpoint to files other tools read. The weights are the checkpoint tensors
 * named like the model's parameters (the optimizer slots and carried state stay behind), the
 * vocabulary and text settings come from the run's vocab.json.
 *
 * | format        | `out`                                       | files written                              |
 * | ------------- | ------------------------------------------- | ------------------------------------------ |
 * | `safetensors` | a folder                                    | model.safetensors, config.json, vocab.json in it |
 * | `safetensors` | a path NAME.safetensors                     | that file, NAME.config.json, NAME.vocab.json beside it |
 * | `onnx`        | the .onnx file                              | one file                                   |
 * | `json`        | the .json file                              | one file                                   |
 * | `html`        | the .html file                              | one self-contained page                    |
 */
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { buildJsonExport, buildOnnxModel, buildPytorchExport, buildStandaloneHtml, exportableFromModel, ExportError, type ExportableModel } from '../../engine/export';
import { writeFileAtomic } from '../fs/atomic-write';
import { refuseProjectData } from '../store/project-data-guard';
import type { FileSystem } from '../fs/file-system';
import { ensureDir } from '../fs/fs-utils';
import { GenerationService } from '../services/generation-service';
import { readRun } from '../store/runs';

export const EXPORT_FORMATS = ['safetensors', 'onnx', 'json', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRunRequest {
  projectDir: string;
  runId: string;
  /** Checkpoint file name; null takes the best by validation perplexity, else the latest. */
  checkpoint: string | null;
  format: ExportFormat;
  /** Absolute path: see the table above. */
  out: string;
  /** HTML only: the prefix filled in when the page opens. */
  prefix?: string;
}

export interface ExportedFile {
  path: string;
  bytes: number;
}

export interface ExportRunResult {
  files: ExportedFile[];
  /** The checkpoint the weights came from. */
  checkpoint: string;
}

/** The run's weights at a checkpoint, ready for any exporter. */
export async function loadExportable(fs: FileSystem, projectDir: string, runId: string, checkpoint: string | null): Promise<{ model: ExportableModel; checkpoint: string; runName: string }> {
  const run = await readRun(fs, projectDir, runId);
  // only the weights are read: no WebAssembly kernels needed
  const loaded = await new GenerationService(fs, 1, 'ts').load(projectDir, runId, checkpoint);
  const model = exportableFromModel(loaded.model, { tokens: [...loaded.vocab.tokens], tokenizer: loaded.vocabFile.tokenizer, cleaning: loaded.vocabFile.cleaning });
  return { model, checkpoint: loaded.checkpoint.name, runName: run.name };
}

const sha256Base64 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/**
 * Where a safetensors export goes: `out` is a folder (model.safetensors and KIND.json in it) or
 * a NAME.safetensors path (KIND companions become NAME.KIND.json beside it).
 */
export function safetensorsPaths(out: string, kinds: readonly string[]): { weights: string; companions: Record<string, string> } {
  // a file path names the companions after it, so exporting beside other files never takes
  // a config.json or vocab.json that belongs to something else
  const named = out.toLowerCase().endsWith('.safetensors');
  const companions: Record<string, string> = {};
  for (const kind of kinds) companions[kind] = named ? `${out.slice(0, -'.safetensors'.length)}.${kind}.json` : join(out, `${kind}.json`);
  return { weights: named ? out : join(out, 'model.safetensors'), companions };
}

/** The files of one export, as (absolute path, bytes), without writing anything. */
export function exportFiles(model: ExportableModel, format: ExportFormat, out: string, options: { title?: string; prefix?: string } = {}): Array<{ path: string; data: Uint8Array | string }> {
  switch (format) {
    case 'safetensors': {
      const built = buildPytorchExport(model);
      const paths = safetensorsPaths(out, ['config', 'vocab']);
      return [
        { path: paths.weights, data: built.weights },
        { path: paths.companions.config!, data: built.config },
        { path: paths.companions.vocab!, data: built.vocab },
      ];
    }
    case 'onnx':
      return [{ path: out, data: buildOnnxModel(model) }];
    case 'json':
      return [{ path: out, data: buildJsonExport(model) }];
    case 'html':
      return [{ path: out, data: buildStandaloneHtml(model, { sha256Base64, ...options }) }];
    default:
      throw new ExportError('UnsupportedFormat', { format: String(format) });
  }
}

export async function exportRun(fs: FileSystem, request: ExportRunRequest): Promise<ExportRunResult> {
  const { model, checkpoint, runName } = await loadExportable(fs, request.projectDir, request.runId, request.checkpoint);
  const files = exportFiles(model, request.format, request.out, { title: `${runName} · RNN Lab`, ...(request.prefix !== undefined && { prefix: request.prefix }) });
  const written = await writeExportFiles(fs, files);
  return { files: written, checkpoint };
}

/**
 * Writes an export's files, the main one first, creating folders as needed; refuses (before
 * writing anything) to replace a companion file that is not part of an earlier export.
 */
export async function writeExportFiles(fs: FileSystem, files: Array<{ path: string; data: Uint8Array | string }>): Promise<ExportedFile[]> {
  await refuseProjectData(fs, files.map((f) => f.path));
  await refuseForeignCompanions(fs, files.map((f) => f.path));
  const written: ExportedFile[] = [];
  for (const file of files) {
    await ensureDirs(fs, dirname(file.path));
    await writeFileAtomic(fs, file.path, file.data);
    written.push({ path: file.path, bytes: typeof file.data === 'string' ? Buffer.byteLength(file.data) : file.data.length });
  }
  return written;
}

/**
 * The files written beside the main one (config and vocabulary of a safetensors export) may
 * replace those of an earlier export of the same weights file, never files that stand alone: a
 * config.json with no model.safetensors next to it belongs to something else.
 */
async function refuseForeignCompanions(fs: FileSystem, paths: string[]): Promise<void> {
  const [main, ...companions] = paths;
  if (main === undefined || companions.length === 0 || (await fs.stat(main)) !== undefined) return;
  for (const path of companions) {
    if ((await fs.stat(path)) !== undefined) {
      throw new ExportError('WouldOverwrite', { path, weights: main }, `"${basename(path)}" already exists in ${dirname(path)} and is not part of an earlier export of ${basename(main)}; export to an empty folder or another file name, so it is not overwritten.`);
    }
  }
}

/** The folder and any missing parents. */
async function ensureDirs(fs: FileSystem, path: string): Promise<void> {
  if ((await fs.stat(path))?.kind === 'directory') return;
  const parent = dirname(path);
  if (parent !== path) await ensureDirs(fs, parent);
  await ensureDir(fs, path);
}

/** A file name for a run's export in a save dialog (`<run name>.<ext>`, safe on every platform). */
export function suggestedExportName(runName: string, format: ExportFormat): string {
  const stem = basename(runName).replace(/[^\p{L}\p{N} ._-]+/gu, '-').replace(/^[.\s-]+|[.\s]+$/g, '').slice(0, 80) || 'model';
  return `${stem}.${format}`;
}

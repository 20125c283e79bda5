/**
 * "Train elsewhere": a text run as a folder PyTorch trains with RNN Lab's semantics (see
 * pytorch-run-format.ts for the layout). The ids, the initial weights and the iterator's random
 * state come from a `Trainer` built exactly as a fresh run builds it, so train.py starts where our
 * trainer starts and draws the same minibatches.
 */
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { exportableFromModel, ExportError, prettyJson, pytorchConfigJson } from '../../../engine/export';
import { encodeSafetensors } from '../../../engine/formats';
import { Trainer, trainerOptionsFromRunConfig } from '../../../engine/train';
import type { FileSystem } from '../../fs/file-system';
import { loadRunData } from '../../services/run-data';
import { readRun, readRunConfig } from '../../store/runs';
import { isForecastConfig } from '../../../shared/forecast-config';
import { writeExportFiles, type ExportedFile } from '../export-run';
import { PytorchRunError } from './pytorch-run-error';
import { INITIAL_WEIGHTS, PYTORCH_RUN_FORMAT, TRAIN_FILE, VAL_FILE, type EngineFacts } from './pytorch-run-format';
import { readmeText, slurmText } from './templates';
import { TRAIN_PY } from './train-py';

export interface ExportPytorchRunRequest {
  projectDir: string;
  runId: string;
  /** The folder to write (created if missing). */
  out: string;
}

/** Little-endian int32, whatever the host's byte order. */
export function int32Bytes(ids: Int32Array): Uint8Array {
  const bytes = new Uint8Array(ids.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < ids.length; i++) view.setInt32(i * 4, ids[i]!, true);
  return bytes;
}

/** sha256 of the tokens as JSON: ties config.json to its vocab.json. */
export function tokensSha256(tokens: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(tokens), 'utf8').digest('hex');
}

/** The folder's files, train.py first, without writing anything. */
export async function pytorchRunFiles(fs: FileSystem, request: ExportPytorchRunRequest): Promise<Array<{ path: string; data: Uint8Array | string }>> {
  const { projectDir, runId, out } = request;
  if (isForecastConfig(await readRunConfig(fs, projectDir, runId))) {
    throw new PytorchRunError('NotATextRun', 'Train elsewhere exports language-model (text) runs; a forecast run exports its weights as safetensors or ONNX.', { runId });
  }
  const [run, data] = await Promise.all([readRun(fs, projectDir, runId), loadRunData(fs, projectDir, runId)]);
  const options = trainerOptionsFromRunConfig(data.config);
  const trainer = new Trainer(options, { train: data.train, val: data.val, vocabSize: data.vocab.size });
  const tokens = [...data.vocab.tokens];
  const model = exportableFromModel(trainer.model, { tokens, tokenizer: data.config.tokenizer, cleaning: data.config.clean });
  const engine: EngineFacts = {
    vocabSize: data.vocab.size,
    trainFile: TRAIN_FILE,
    valFile: VAL_FILE,
    trainTokens: data.train.length,
    valTokens: data.val.length,
    initialWeights: INITIAL_WEIGHTS,
    iteratorRngState: trainer.exportState().meta.iterator.epochRngState,
    clipMode: options.clipMode ?? 'd2l',
    vocabSha256: tokensSha256(tokens),
    source: { runId, runName: run.name },
  };
  const config = { format: PYTORCH_RUN_FORMAT, version: 1, run: data.config, model: pytorchConfigJson(model.config), engine };
  const facts = { runName: run.name, runId, epochs: data.config.epochs, sampler: data.config.sampler, dropout: model.config.dropout };
  return [
    { path: join(out, 'train.py'), data: TRAIN_PY },
    { path: join(out, 'config.json'), data: prettyJson(config) },
    { path: join(out, 'vocab.json'), data: prettyJson(data.vocabFile) },
    { path: join(out, TRAIN_FILE), data: int32Bytes(data.train) },
    { path: join(out, VAL_FILE), data: int32Bytes(data.val) },
    { path: join(out, INITIAL_WEIGHTS), data: encodeSafetensors(model.weights, { format: 'pt' }) },
    { path: join(out, 'README.md'), data: readmeText(facts) },
    { path: join(out, 'train.slurm'), data: slurmText(facts) },
  ];
}

/**
 * Writes the folder. It may replace an earlier "Train elsewhere" export (its config.json says so);
 * any other file of the same name (a train.py or README.md of the user's) is refused before
 * anything is written.
 */
export async function exportPytorchRun(fs: FileSystem, request: ExportPytorchRunRequest): Promise<ExportedFile[]> {
  const files = await pytorchRunFiles(fs, request);
  if (!(await isEarlierExport(fs, request.out))) {
    for (const { path } of files) {
      if ((await fs.stat(path)) !== undefined) {
        throw new ExportError('WouldOverwrite', { path }, `"${basename(path)}" already exists in ${request.out} and is not part of an earlier "Train elsewhere" export; choose a new or empty folder, so it is not overwritten.`);
      }
    }
  }
  return writeExportFiles(fs, files);
}

async function isEarlierExport(fs: FileSystem, out: string): Promise<boolean> {
  try {
    const config = JSON.parse(new TextDecoder().decode(await fs.readFile(join(out, 'config.json')))) as { format?: unknown };
    return config.format === PYTORCH_RUN_FORMAT;
  } catch {
    return false;
  }
}

/**
 * Bringing a "Train elsewhere" run back: train.py's output folder (metrics.jsonl, checkpoints/,
 * config.json, vocab.json; the exported folder with an output/ in it works too) becomes a finished
 * run with the run config it trained with, its curves (the records in metrics.log framing, so
 * Compare overlays them) and the weights of its last checkpoint.
 *
 * Everything is read and checked before anything is written: a missing file, a torn or invalid
 * metrics line, a missing checkpoint, a tensor of another shape or a vocabulary that is not the
 * one config.json was exported with is a coded error naming the file (and line), and the project
 * is left as it was. The run itself is created by `importModel` (import-weights.ts).
 */
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { ExportError, parsePytorchExport, type ExportableModel } from '../../../engine/export';
import { SafetensorsError } from '../../../engine/formats';
import { metricRecordSchema, type MetricRecord } from '../../../shared/runs';
import type { RunConfig } from '../../../shared/run-config';
import type { FileSystem } from '../../fs/file-system';
import { parseRunConfig } from '../../services/run-data';
import { runVocabFileSchema, type RunVocabFile } from '../../services/run-vocab';
import { METRICS_LOG, runFile } from '../../store/layout';
import { LogWriter } from '../../store/record-log';
import type { RunRecord } from '../../store/schemas';
import { importModel, readInput } from '../import-weights';
import { tokensSha256 } from './export-pytorch-run';
import { PytorchRunError } from './pytorch-run-error';
import { CHECKPOINT_NAME, METRICS_JSONL, OUTPUT_DIR, pytorchRunConfigSchema } from './pytorch-run-format';

export interface ImportPytorchRunRequest {
  projectDir: string;
  /** train.py's output folder, or the exported folder holding it as output/. */
  dir: string;
  name?: string;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** The folder holding metrics.jsonl: `dir` itself or its output/. */
async function resultFolder(fs: FileSystem, dir: string): Promise<string> {
  if ((await fs.stat(join(dir, METRICS_JSONL)))?.kind === 'file') return dir;
  if ((await fs.stat(join(dir, OUTPUT_DIR, METRICS_JSONL)))?.kind === 'file') return join(dir, OUTPUT_DIR);
  throw new PytorchRunError('MissingFile', `There is no ${METRICS_JSONL} in ${dir} (nor in its ${OUTPUT_DIR} folder): train.py writes it there once an epoch is done.`, { file: join(dir, METRICS_JSONL) });
}

async function readFile(fs: FileSystem, path: string, role: 'config' | 'vocab' | 'metrics' | 'checkpoint'): Promise<Uint8Array> {
  if ((await fs.stat(path)) === undefined) throw new PytorchRunError('MissingFile', `${basename(path)} is missing from ${join(path, '..')}.`, { file: path });
  return readInput(fs, path, role);
}

function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(text(bytes));
  } catch {
    throw new PytorchRunError('InvalidConfigFile', `${file} is not valid JSON.`, { file });
  }
}

/** The metric records, line by line; every line must be whole (newline-terminated) and valid. */
export function parseMetricsJsonl(bytes: Uint8Array, file: string): MetricRecord[] {
  const body = text(bytes);
  if (body.length === 0) throw new PytorchRunError('NoMetrics', `${file} is empty: train.py has not finished an epoch.`, { file });
  const lines = body.split('\n');
  const last = lines.pop()!;
  if (last !== '') {
    const line = lines.length + 1;
    throw new PytorchRunError('TornMetrics', `${file} ends in the middle of line ${line} (the training stopped while writing it); remove that line to import the epochs before it.`, { file, line });
  }
  const records = lines.map((l, i) => {
    const bad = (why: string): never => {
      throw new PytorchRunError('InvalidMetrics', `${file}, line ${i + 1}: ${why}.`, { file, line: i + 1 });
    };
    let value: unknown;
    try {
      value = JSON.parse(l);
    } catch {
      return bad('not valid JSON');
    }
    const parsed = metricRecordSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return bad(`“${issue.path.join('.') || 'record'}” ${issue.message.toLowerCase()}`);
    }
    return parsed.data;
  });
  if (!records.some((r) => r.kind === 'epoch')) throw new PytorchRunError('NoMetrics', `${file} holds no epoch record: train.py has not finished an epoch.`, { file });
  return records;
}

/** The checkpoint of the highest epoch. */
async function lastCheckpoint(fs: FileSystem, folder: string): Promise<{ path: string; epoch: number }> {
  const dir = join(folder, 'checkpoints');
  const names = (await fs.stat(dir))?.kind === 'directory' ? await fs.readdir(dir) : [];
  let best: { path: string; epoch: number } | null = null;
  for (const name of names) {
    const m = CHECKPOINT_NAME.exec(name);
    if (m && (best === null || Number(m[1]) > best.epoch)) best = { path: join(dir, name), epoch: Number(m[1]) };
  }
  if (best === null) throw new PytorchRunError('MissingCheckpoint', `There is no checkpoint (epoch-NNNN.safetensors) in ${dir}.`, { file: dir });
  return best;
}

interface CheckedFolder {
  model: ExportableModel;
  runConfig: RunConfig;
  vocabFile: RunVocabFile;
  vocabSha256: string;
  records: MetricRecord[];
  checkpoint: { path: string; epoch: number; step: number; valPerplexity?: number };
  sourceName: string;
}

async function checkFolder(fs: FileSystem, dir: string): Promise<CheckedFolder> {
  const folder = await resultFolder(fs, dir);
  const configPath = join(folder, 'config.json'), vocabPath = join(folder, 'vocab.json'), metricsPath = join(folder, METRICS_JSONL);
  const configRead = pytorchRunConfigSchema.safeParse(parseJson(await readFile(fs, configPath, 'config'), configPath));
  if (!configRead.success) {
    const issue = configRead.error.issues[0]!;
    throw new PytorchRunError('InvalidConfigFile', `${configPath} is not the config.json of an RNN Lab "Train elsewhere" folder (“${issue.path.join('.')}”: ${issue.message}).`, { file: configPath, field: issue.path.join('.') });
  }
  const config = configRead.data;
  let runConfig: RunConfig;
  try {
    runConfig = parseRunConfig(config.run);
  } catch (e) {
    throw new PytorchRunError('InvalidConfigFile', `${configPath}: “run” is not a run configuration RNN Lab trains (${(e as Error).message})`, { file: configPath, field: 'run' });
  }
  const vocabBytes = await readFile(fs, vocabPath, 'vocab');
  const vocabRead = runVocabFileSchema.safeParse(parseJson(vocabBytes, vocabPath));
  if (!vocabRead.success) throw new PytorchRunError('VocabMismatch', `${vocabPath} is not the vocabulary of an RNN Lab run.`, { file: vocabPath });
  const vocabFile = vocabRead.data as RunVocabFile;
  if (tokensSha256(vocabFile.tokens) !== config.engine.vocabSha256 || vocabFile.tokens.length !== config.engine.vocabSize) {
    throw new PytorchRunError('VocabMismatch', `${vocabPath} is not the vocabulary config.json was exported with (its tokens differ), so the ids would mean other tokens.`, { file: vocabPath });
  }
  const records = parseMetricsJsonl(await readFile(fs, metricsPath, 'metrics'), metricsPath);
  const ckpt = await lastCheckpoint(fs, folder);
  const epochRecord = records.find((r) => r.kind === 'epoch' && r.epoch === ckpt.epoch);
  if (!epochRecord) {
    throw new PytorchRunError('CheckpointMismatch', `${ckpt.path} is from epoch ${ckpt.epoch}, but ${metricsPath} has no record of that epoch.`, { file: ckpt.path, epoch: ckpt.epoch });
  }
  let model: ExportableModel;
  try {
    model = parsePytorchExport(await readFile(fs, ckpt.path, 'checkpoint'), config.model, vocabFile);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new PytorchRunError('InvalidCheckpoint', `${ckpt.path} is not a safetensors file RNN Lab can read: ${e.message}`, { file: ckpt.path, reason: e.code });
    if (e instanceof ExportError) throw new ExportError(e.code, { ...e.details, file: ckpt.path }, `${ckpt.path}: ${e.message}`);
    throw e;
  }
  const val = records.find((r) => r.kind === 'val' && r.epoch === ckpt.epoch);
  return {
    model, vocabFile, records, sourceName: config.engine.source.runName,
    vocabSha256: createHash('sha256').update(vocabBytes).digest('hex'),
    runConfig: { ...runConfig, epochs: Math.max(...records.filter((r) => r.kind === 'epoch').map((r) => Math.round(r.epoch))) },
    checkpoint: { ...ckpt, step: epochRecord.step, ...(typeof val?.perplexity === 'number' && { valPerplexity: val.perplexity }) },
  };
}

export async function importPytorchRun(fs: FileSystem, request: ImportPytorchRunRequest): Promise<RunRecord> {
  const c = await checkFolder(fs, request.dir);
  const name = request.name?.trim() || `${c.sourceName} (PyTorch)`;
  return importModel(fs, request.projectDir, c.model, name, { source: basename(c.checkpoint.path), vocabSha256: c.vocabSha256 }, {
    runConfig: c.runConfig,
    vocabFile: c.vocabFile,
    step: c.checkpoint.step,
    ...(c.checkpoint.valPerplexity !== undefined && { valPerplexity: c.checkpoint.valPerplexity }),
    write: async (runId) => {
      const log = await LogWriter.open(fs, runFile(request.projectDir, runId, METRICS_LOG));
      try {
        await log.append(c.records);
      } finally {
        await log.close();
      }
    },
  });
}

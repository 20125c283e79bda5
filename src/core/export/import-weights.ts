/**
 * Importing weights trained elsewhere (e.g. by PyTorch) as a finished run: a safetensors state
 * dict, its config.json and vocab.json (the formats of the PyTorch export), or one JSON export, become
 * `runs/<id>/` with a run config built from config.json, the vocabulary as vocab.json, and one
 * checkpoint (step 0) holding the weights, so the run generates, scores and exports like a
 * trained one. Names, shapes and dtypes are checked tensor by tensor first: a mismatch is a coded
 * `ExportError` naming the tensor, and nothing is written.
 */
import { createHash } from 'node:crypto';
import { basename, extname, dirname } from 'node:path';
import { ExportError, parseJsonExport, parsePytorchExport, type ExportableModel } from '../../engine/export';
import { Vocab } from '../../engine/text';
import { runConfigSchema, type RunConfig } from '../../shared/run-config';
import { parseSafetensorsHeader, readHeaderLength } from '../../engine/formats/safetensors-decode';
import { SafetensorsError } from '../../engine/formats/safetensors-error';
import { FsError, type FileSystem } from '../fs/file-system';
import { readRange } from '../fs/fs-utils';
import { runVocabFile, writeRunVocab, type RunVocabFile } from '../services/run-vocab';
import { saveCheckpoint } from '../store/checkpoints';
import { createRun, deleteRun, setRunState, type RunConfigJson } from '../store/runs';
import type { RunRecord } from '../store/schemas';

/** Stands in for a dataset id: an imported run was trained on data the project does not hold. */
export const IMPORTED_DATASET_ID = 'imported';
export const IMPORTED_STATE_FORMAT = 'rnnlab.imported-weights';

/** The PyTorch triple, or one JSON export (`rnnlab.model`). */
export type ImportWeightsRequest = { projectDir: string; name?: string } & (
  | { weightsPath: string; configPath: string; vocabPath: string }
  | { jsonPath: string }
);

export type InputRole = 'weights' | 'config' | 'vocab' | 'JSON model' | 'metrics' | 'checkpoint';

/**
 * The most each input may hold. The JSON files are parsed as one string (V8 caps those near
 * 512 MiB) and the weights are read as one buffer (node:fs reads at most 2 GiB at once).
 */
export const MAX_INPUT_BYTES: Readonly<Record<InputRole, number>> = {
  weights: 2 ** 31 - 1,
  config: 1024 * 1024,
  vocab: 64 * 1024 * 1024,
  'JSON model': 512 * 1024 * 1024,
  metrics: 512 * 1024 * 1024,
  checkpoint: 2 ** 31 - 1,
};

const KIND_TEXT: Record<string, string> = { directory: 'a folder', other: 'a device, pipe or socket' };

function unreadable(path: string, role: InputRole, e: FsError): ExportError {
  return new ExportError('UnreadableFile', { role, file: path, reason: e.code }, `Cannot read the ${role} file ${path} (${e.code}).`);
}

/**
 * Checks an input before reading a byte of it: it must be a regular file (a FIFO would block the
 * read forever, /dev/zero would never end) within the size cap. Returns its size.
 */
async function checkInput(fs: FileSystem, path: string, role: InputRole): Promise<number> {
  let st;
  try {
    st = await fs.stat(path);
  } catch (e) {
    if (e instanceof FsError) throw unreadable(path, role, e);
    throw e;
  }
  if (st === undefined) throw unreadable(path, role, new FsError('NotFound', path));
  if (st.kind !== 'file') {
    throw new ExportError('NotAFile', { role, file: path, kind: st.kind }, `The ${role} file ${path} is not a regular file but ${KIND_TEXT[st.kind] ?? st.kind}; choose the file itself.`);
  }
  const max = MAX_INPUT_BYTES[role];
  if (st.size > max) {
    throw new ExportError('FileTooLarge', { role, file: path, bytes: st.size, max }, `The ${role} file ${path} holds ${st.size} bytes, more than the ${max} RNN Lab reads for it.`);
  }
  return st.size;
}

/** Reads a checked input whole; a file that changes size meanwhile is refused. */
async function readChecked(fs: FileSystem, path: string, role: InputRole, size: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (e) {
    if (e instanceof FsError) throw unreadable(path, role, e);
    throw e;
  }
  if (bytes.length !== size) {
    throw new ExportError('UnreadableFile', { role, file: path, reason: 'Changed', bytes: bytes.length, expected: size }, `The ${role} file ${path} changed while it was read; import it again.`);
  }
  return bytes;
}

export async function readInput(fs: FileSystem, path: string, role: InputRole): Promise<Uint8Array> {
  return readChecked(fs, path, role, await checkInput(fs, path, role));
}

/**
 * The weights file: its 8-byte header length and its header are read and checked first (size
 * caps, offsets, and a declared total equal to the file's size), so a file that claims a huge
 * header or holds more or less than it declares is refused before its data is read.
 */
async function readWeights(fs: FileSystem, path: string): Promise<Uint8Array> {
  const size = await checkInput(fs, path, 'weights');
  try {
    const n = readHeaderLength(await readRange(fs, path, 0, 8));
    parseSafetensorsHeader(await readRange(fs, path, 0, 8 + n), size);
  } catch (e) {
    if (e instanceof SafetensorsError) {
      throw new ExportError('InvalidWeightsFile', { file: path, reason: e.code, ...e.details }, `The weights file ${path} is not a safetensors file RNN Lab can read: ${e.message}`);
    }
    if (e instanceof FsError) throw unreadable(path, 'weights', e);
    throw e;
  }
  return readChecked(fs, path, 'weights', size);
}

/** The run config an imported model gets: its architecture and text settings, defaults elsewhere. */
export function importedRunConfig(m: ExportableModel, name: string): RunConfig {
  const parsed = runConfigSchema.safeParse({
    name,
    datasetId: IMPORTED_DATASET_ID,
    tokenizer: m.vocab.tokenizer,
    clean: m.vocab.cleaning,
    cell: m.config.cell,
    numLayers: m.config.numLayers,
    hiddenSize: m.config.hiddenSize,
    embeddingDim: m.config.embeddingDim,
    dropout: m.config.dropout,
    nonlinearity: m.config.nonlinearity,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ExportError('InvalidConfig', { field: issue.path.join('.') }, `The model is outside what RNN Lab trains: ${issue.message}`);
  }
  return parsed.data;
}

function defaultName(weightsPath: string): string {
  const stem = basename(weightsPath, extname(weightsPath));
  const folder = basename(dirname(weightsPath));
  return `Imported ${stem === 'model' && folder ? folder : stem}`.slice(0, 80);
}

export async function importWeights(fs: FileSystem, request: ImportWeightsRequest): Promise<RunRecord> {
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  if ('jsonPath' in request) {
    const json = await readInput(fs, request.jsonPath, 'JSON model');
    const model = parseJsonExport(text(json));
    return importModel(fs, request.projectDir, model, request.name?.trim() || defaultName(request.jsonPath), {
      source: basename(request.jsonPath), vocabSha256: createHash('sha256').update(json).digest('hex'),
    });
  }
  const [weights, config, vocab] = await Promise.all([
    readWeights(fs, request.weightsPath),
    readInput(fs, request.configPath, 'config'),
    readInput(fs, request.vocabPath, 'vocab'),
  ]);
  const model = parsePytorchExport(weights, text(config), text(vocab));
  return importModel(fs, request.projectDir, model, request.name?.trim() || defaultName(request.weightsPath), {
    source: basename(request.weightsPath), vocabSha256: createHash('sha256').update(vocab).digest('hex'),
  });
}

/** What a run trained elsewhere brings besides its weights (see train-elsewhere/import-pytorch-run.ts). */
export interface ImportedHistory {
  /** The run config it trained with (default: `importedRunConfig`). */
  runConfig?: RunConfig;
  /** Its vocab.json as the run's own (default: built from the model's tokens). */
  vocabFile?: RunVocabFile;
  /** Step and validation perplexity of the checkpoint (default: step 0, none). */
  step?: number;
  valPerplexity?: number;
  /** Writes the rest (e.g. metrics.log) into the new run before it is marked done. */
  write?: (runId: string) => Promise<void>;
}

/** Writes a checked model as a finished run; on any failure the half-made run is removed. */
export async function importModel(fs: FileSystem, projectDir: string, model: ExportableModel, runName: string, origin: { source: string; vocabSha256: string }, history: ImportedHistory = {}): Promise<RunRecord> {
  const name = runName.slice(0, 80);
  const runConfig = history.runConfig ? { ...history.runConfig, name } : importedRunConfig(model, name);
  const run = await createRun(fs, projectDir, { config: runConfig as unknown as RunConfigJson, name });
  try {
    const V = model.config.vocabSize;
    await writeRunVocab(fs, projectDir, run.id, history.vocabFile ?? runVocabFile(Vocab.fromJSON({ format: 'rnnlab.vocab', version: 1, tokens: model.vocab.tokens }), {
      tokenizer: model.vocab.tokenizer,
      cleaning: model.vocab.cleaning,
      minFreq: 1,
      maxTokens: 0,
      valFraction: 0,
      dataset: { id: IMPORTED_DATASET_ID, sha256: origin.vocabSha256 },
      corpus: { totalTokens: 0, trainTokens: 0, valTokens: 0 },
      baselines: { uniform: V, unigram: V },
    }));
    await saveCheckpoint(fs, projectDir, run.id, {
      step: history.step ?? 0, tensors: model.weights, state: { format: IMPORTED_STATE_FORMAT, version: 1, source: origin.source },
      ...(history.valPerplexity !== undefined && { valPerplexity: history.valPerplexity }),
    });
    await history.write?.(run.id);
    await setRunState(fs, projectDir, run.id, 'running');
    return await setRunState(fs, projectDir, run.id, 'done', { message: `Imported from ${origin.source}.` });
  } catch (e) {
    await deleteRun(fs, projectDir, run.id).catch(() => undefined);
    throw e;
  }
}

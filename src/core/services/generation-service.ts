/**
 * Text generation and scoring from a run's checkpoint. The model is rebuilt in Float32 from the
 * run config and vocabulary size, its weights are the checkpoint tensors named like the model's
 * parameters (the optimizer slots and carried state are ignored), and loaded models are cached
 * per (run, checkpoint file). Text is cleaned and tokenised as the run's dataset was; tokens the
 * vocabulary lacks become `<unk>`.
 */
import { generate, scoreTokens, type SamplingOptions } from '../../engine/decode';
import { parameterShapes } from '../../engine/model/config';
import { selectKernels, type KernelChoice } from '../../engine/kernels/wasm';
import { RnnModel } from '../../engine/model/rnn-model';
import { SafetensorsError } from '../../engine/formats/safetensors-error';
import { Rng } from '../../engine/rng';
import { cleanText, tokenize, type Vocab } from '../../engine/text';
import { modelConfigOf, trainerOptionsFromRunConfig } from '../../engine/train/options';
import type { GenerateRequest, GenerateResult, ScoreResult } from '../../shared/runs';
import type { RunConfig } from '../../shared/run-config';
import type { FileSystem } from '../fs/file-system';
import { enableRelaxedSimd } from '../kernels/run-kernels';
import { bestCheckpoint } from '../store/checkpoint-retention';
import { loadCheckpoint, type CheckpointEntry } from '../store/checkpoints';
import { readRunConfig } from '../store/runs';
import { readCheckpointEntries } from './run-files';
import { loadRunData, parseRunConfig } from './run-data';
import { readRunVocab, type RunVocabFile } from './run-vocab';
import { ServiceError } from './service-error';

export interface LoadedModel {
  model: RnnModel<Float32Array>;
  vocab: Vocab;
  vocabFile: RunVocabFile;
  config: RunConfig;
  checkpoint: CheckpointEntry;
}

export interface ScoreRequest {
  projectDir: string;
  runId: string;
  checkpoint: string | null;
  text: string;
}

/** The named checkpoint, else the best by validation perplexity, else the latest. */
export function chooseCheckpoint(entries: readonly CheckpointEntry[], name: string | null): CheckpointEntry {
  if (name !== null) {
    const found = entries.find((e) => e.name === name);
    if (found === undefined) throw new ServiceError('CheckpointNotFound', { checkpoint: name.slice(0, 100) });
    return found;
  }
  if (entries.length === 0) throw new ServiceError('NoCheckpoint');
  return bestCheckpoint(entries) ?? entries.reduce((a, b) => (b.step > a.step ? b : a));
}

/** Ids of `text` cleaned and tokenised as the run's corpus was. */
export function encodeText(text: string, vocab: Vocab, file: Pick<RunVocabFile, 'tokenizer' | 'cleaning'>): Int32Array {
  return vocab.encode(tokenize(cleanText(text, file.cleaning), file.tokenizer));
}

export function samplingOptions(decoding: GenerateRequest['decoding']): SamplingOptions {
  return decoding.mode === 'greedy' ? { greedy: true } : { temperature: decoding.temperature, topK: decoding.topK, topP: decoding.topP };
}

export class GenerationService {
  private readonly models = new Map<string, Promise<LoadedModel>>();

  /**
   * `kernels`: 'auto' runs each loaded model on its own single-threaded WebAssembly kernels when the
   * runtime has SIMD (a batch-1 step is too small to split across threads; 4–10× the TypeScript
   * kernels, `npm run bench -- generation`), 'ts' on the TypeScript reference.
   */
  constructor(
    private readonly fs: FileSystem,
    private readonly cacheSize = 3,
    private readonly kernels: KernelChoice = 'auto',
  ) {}

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const loaded = await this.load(request.projectDir, request.runId, request.checkpoint);
    const prefix = encodeText(request.prefix, loaded.vocab, loaded.vocabFile);
    if (prefix.length === 0) throw new ServiceError('EmptyText', { field: 'prefix' }, "Nothing is left of the prefix after the run's cleaning; type at least one character or word the model can read.");
    // <unk> is id 0 in every vocabulary; excluding it keeps "<unk>" out of the generated text
    const options = request.excludeUnk === true ? { ...samplingOptions(request.decoding), exclude: [0] } : samplingOptions(request.decoding);
    const out = generate(loaded.model, prefix, request.length, options, new Rng(request.seed));
    if (out.probs.some((p) => !Number.isFinite(p))) throw new ServiceError('NonFiniteOutput', { checkpoint: loaded.checkpoint.name });
    const separator = loaded.vocabFile.separator;
    return { prefix: loaded.vocab.decode(prefix, separator), tokens: loaded.vocab.decodeTokens(out.ids), probabilities: out.probs, separator };
  }

  async score(request: ScoreRequest): Promise<ScoreResult> {
    const loaded = await this.load(request.projectDir, request.runId, request.checkpoint);
    const ids = encodeText(request.text, loaded.vocab, loaded.vocabFile);
    if (ids.length === 0) throw new ServiceError('EmptyText', { field: 'text' });
    if (ids.length < 2) throw new ServiceError('TextTooShort', { tokens: ids.length });
    const scores = scoreTokens(loaded.model, ids);
    if (!Number.isFinite(scores.perplexity)) throw new ServiceError('NonFiniteOutput', { checkpoint: loaded.checkpoint.name });
    return { tokens: loaded.vocab.decodeTokens(ids), logprobs: Array.from(scores.logprobs), perplexity: scores.perplexity };
  }

  /** The run's model at a checkpoint (see `chooseCheckpoint`), from the cache when it is there. */
  async load(projectDir: string, runId: string, checkpoint: string | null): Promise<LoadedModel> {
    const entries = await readCheckpointEntries(this.fs, projectDir, runId);
    const entry = chooseCheckpoint(entries, checkpoint);
    // size and time stamp in the key: a checkpoint rewritten under the same name is reloaded
    const key = [projectDir, runId, entry.name, entry.bytes, entry.created ?? ''].join('\u0000');
    const hit = this.models.get(key);
    if (hit !== undefined) {
      this.models.delete(key);
      this.models.set(key, hit);
      return hit;
    }
    const pending = this.build(projectDir, runId, entry);
    this.models.set(key, pending);
    pending.catch(() => this.models.get(key) === pending && this.models.delete(key));
    while (this.models.size > this.cacheSize) this.models.delete(this.models.keys().next().value!);
    return pending;
  }

  /** Drops the cached models of a run (after it is deleted). */
  evictRun(projectDir: string, runId: string): void {
    const prefix = `${projectDir}\u0000${runId}\u0000`;
    for (const key of [...this.models.keys()]) if (key.startsWith(prefix)) this.models.delete(key);
  }

  private async build(projectDir: string, runId: string, entry: CheckpointEntry): Promise<LoadedModel> {
    const config = parseRunConfig(await readRunConfig(this.fs, projectDir, runId));
    const stored = (await readRunVocab(this.fs, projectDir, runId)) ?? (await rebuiltVocab(this.fs, projectDir, runId));
    const modelConfig = modelConfigOf(trainerOptionsFromRunConfig(config), stored.vocab.size);
    const bundle = await loadCheckpoint(this.fs, projectDir, runId, entry.name).catch(async (e: unknown) => {
      if (!(e instanceof SafetensorsError)) throw e;
      throw await damagedCheckpoint(this.fs, projectDir, runId, entry.name, e);
    });
    const weights = new Map<string, { shape: readonly number[]; data: ArrayLike<number> }>();
    for (const [name, shape] of parameterShapes(modelConfig)) {
      const t = bundle.tensors.get(name);
      if (t === undefined) throw new ServiceError('CheckpointMismatch', { checkpoint: entry.name, missing: name });
      if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
        throw new ServiceError('CheckpointMismatch', { checkpoint: entry.name, name, shape: [...t.shape], expected: shape });
      }
      if (!(t.data instanceof Float32Array || t.data instanceof Float64Array)) throw new ServiceError('CheckpointMismatch', { checkpoint: entry.name, name, dtype: t.dtype });
      weights.set(name, { shape: t.shape, data: t.data });
    }
    if (this.kernels !== 'ts') enableRelaxedSimd();
    // a model of its own kernels: its WebAssembly memory goes when the model leaves the cache
    const model = new RnnModel(modelConfig, { dtype: Float32Array, kernels: selectKernels(this.kernels).kernels });
    model.loadParameters(weights);
    return { model, vocab: stored.vocab, vocabFile: stored.file, config, checkpoint: entry };
  }
}

/**
 * A damaged checkpoint, named, with what is wrong and which other checkpoints of the run are there
 * to choose instead (their data is verified only when one is loaded).
 */
async function damagedCheckpoint(fs: FileSystem, projectDir: string, runId: string, name: string, cause: SafetensorsError): Promise<ServiceError> {
  const others = (await readCheckpointEntries(fs, projectDir, runId)).filter((e) => e.name !== name).sort((a, b) => b.step - a.step);
  const what = cause.message.replace(/^The weights file is damaged: /, '').replace(/\.$/, '');
  const instead = others.length === 0
    ? 'The run has no other checkpoint.'
    : `Choose another checkpoint of the run: ${others.slice(0, 3).map((e) => `${e.name} (update ${e.step})`).join(', ')}${others.length > 3 ? ', …' : ''}.`;
  return new ServiceError('CorruptCheckpoint', { checkpoint: name, reason: cause.code, others: others.map((e) => e.name) }, `Checkpoint ${name} is damaged (${what}). ${instead}`);
}

/** A run whose vocab.json went missing gets it rebuilt from its dataset (and written back). */
async function rebuiltVocab(fs: FileSystem, projectDir: string, runId: string): Promise<{ file: RunVocabFile; vocab: Vocab }> {
  const data = await loadRunData(fs, projectDir, runId);
  return { file: data.vocabFile, vocab: data.vocab };
}

/**
 * The hidden-state inspector over a run's checkpoint (issue 13): activations and gates per step
 * with top-k predictions (streamed in chunks), saliency of a prediction, gate saturation over the
 * validation text, and LSTMVis select/match over the corpus. Every pass reads the tokens in chunks
 * of `INSPECT_CHUNK_STEPS` with the state carried, so memory depends on the chunk, not the text.
 * Runs in the task worker (`core/tasks`); streamed jobs yield between chunks, so a cancel (the
 * context's signal) takes effect within one chunk.
 */
import { GATE_ORDER, recordChunk, saliencyOf, SaturationCounter, CorpusMatcher, selectUnits, topKRows } from '../../engine/inspect';
import { argmax } from '../../engine/decode/sampling';
import type { RnnModel } from '../../engine/model/rnn-model';
import type { RecurrentState } from '../../engine/model/state';
import {
  INSPECT_CHUNK_STEPS, MATCH_TOP, MAX_SALIENCY_STEPS,
  type InspectChunk, type InspectHeader, type InspectMatches, type InspectRequest, type MatchRequest, type MatchStart,
  type SaliencyRequest, type SaliencyResult, type SaturationRequest, type SaturationResult, type SelectRequest, type SelectResult,
} from '../../shared/inspect';
import type { FileSystem } from '../fs/file-system';
import type { GenerationService } from '../services/generation-service';
import type { TaskContext } from '../tasks/task-protocol';
import { InspectError } from './inspect-error';
import { InspectModels, type InspectModel } from './inspect-models';
import { CorpusCache } from './inspect-source';

/** A streamed job's events: one head (the answer to the request), then data. */
export type JobEvent<H, D> = { kind: 'head'; value: H } | { kind: 'data'; value: D };
export type InspectEvent = JobEvent<InspectHeader, InspectChunk>;
export type MatchEvent = JobEvent<MatchStart, InspectMatches>;
export interface JobOutcome {
  status: 'done' | 'cancelled';
  processed: number;
}

/** Match progress is sent every this many chunks (and at the end). */
const MATCH_REPORT_CHUNKS = 16;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class InspectService {
  private readonly models: InspectModels;
  private readonly corpora: CorpusCache;

  /** Models come from (and are cached by) `generation`, on the kernels it gives them. */
  constructor(fs: FileSystem, generation: GenerationService) {
    this.models = new InspectModels(fs, generation);
    this.corpora = new CorpusCache(fs);
  }

  /** Drops the run's cached corpus (its models live in the generation service's cache). */
  evictRun(projectDir: string, runId: string): void {
    this.corpora.evictRun(projectDir, runId);
  }

  async inspect(request: InspectRequest, ctx: TaskContext<InspectEvent>): Promise<JobOutcome> {
    const m = await this.models.load(request.projectDir, request.runId, request.checkpoint);
    const { ids, start } = await this.corpora.ids(request.projectDir, request.runId, request.source, m);
    const { cell, numLayers, hiddenSize, vocabSize: V } = m.model.config;
    const gates = [...GATE_ORDER[cell]];
    ctx.emit({
      kind: 'head',
      value: { jobId: request.jobId, checkpoint: m.checkpoint, cell, numLayers, hiddenSize, gates, steps: ids.length, separator: m.vocabFile.separator, start, kernels: m.kernels },
    });
    const k = request.topK;
    let done = 0;
    const outcome = await eachChunk(m.model, ids, ctx.signal, (record, from, steps, logits) => {
      const topIds = new Int32Array(steps * k), probs = new Float32Array(steps * k);
      topKRows(logits, steps, V, k, topIds, probs);
      const matrix = (data: Float32Array<ArrayBuffer>) => ({ rows: steps, cols: hiddenSize, data });
      ctx.emit({
        kind: 'data',
        value: {
          jobId: request.jobId,
          start: from,
          tokens: m.vocab.decodeTokens(ids.subarray(from, from + steps)),
          layers: record.layers.map((layer) => ({
            h: matrix(layer.h),
            c: layer.c && matrix(layer.c),
            gates: Object.fromEntries(layer.gates.map((g, i) => [gates[i]!, matrix(g)])),
          })),
          top: { k, tokens: Array.from(topIds, (id) => (id < 0 ? '' : m.vocab.tokenOf(id))), probs },
        },
      });
      done = from + steps;
    });
    return { status: outcome, processed: done };
  }

  async saliency(request: SaliencyRequest): Promise<SaliencyResult> {
    const m = await this.models.load(request.projectDir, request.runId, request.checkpoint);
    const { ids } = await this.corpora.ids(request.projectDir, request.runId, request.source, m);
    const t = request.step;
    if (t >= ids.length) throw new InspectError('OutOfRange', `The text has ${ids.length} tokens; step ${t} is past its end (steps count from 0).`, { field: 'step', step: t, tokens: ids.length });
    const from = Math.max(0, t + 1 - MAX_SALIENCY_STEPS);
    const model = m.model;
    const state = model.createState(1);
    if (from > 0) await eachChunk(model, ids.subarray(0, from), null, () => {}, state, false);
    const window = ids.slice(from, t + 1);
    let target: number;
    if (request.target !== null) {
      if (!m.vocab.has(request.target)) throw new InspectError('UnknownToken', `"${request.target.slice(0, 40)}" is not in the run's vocabulary; choose one of its tokens as the target.`, { field: 'target' });
      target = m.vocab.idOf(request.target);
    } else if (t + 1 < ids.length) {
      target = ids[t + 1]!;
    } else {
      // after the last token: the model's own most probable continuation
      const ws = model.scratchWorkspace(INSPECT_CHUNK_STEPS, 1);
      const s = model.createState(1);
      s.h.set(state.h);
      s.c?.set(state.c!);
      let logitsRow = 0;
      for (let i = 0; i < window.length; i += INSPECT_CHUNK_STEPS) {
        const n = Math.min(INSPECT_CHUNK_STEPS, window.length - i);
        ws.forward(window.subarray(i, i + n), { initial: s, final: s, numSteps: n });
        logitsRow = n - 1;
      }
      target = argmax(ws.logits, logitsRow * model.config.vocabSize, model.config.vocabSize);
    }
    const out = saliencyOf(model, window, target, state);
    return {
      checkpoint: m.checkpoint, step: t, target: m.vocab.tokenOf(target), probability: out.probability, from,
      tokens: m.vocab.decodeTokens(window), saliency: Array.from(out.saliency),
    };
  }

  /** The last `tokens` tokens of the corpus: the validation text (preceded by the end of the training text when it is shorter). */
  async saturation(request: SaturationRequest): Promise<SaturationResult> {
    const m = await this.models.load(request.projectDir, request.runId, request.checkpoint);
    const corpus = await this.corpora.corpus(request.projectDir, request.runId);
    const ids = corpus.subarray(Math.max(0, corpus.length - request.tokens));
    const { cell, numLayers, hiddenSize } = m.model.config;
    const names = GATE_ORDER[cell];
    const counter = new SaturationCounter(numLayers, names.length, hiddenSize);
    await eachChunk(m.model, ids, null, (record) => counter.add(record));
    return {
      checkpoint: m.checkpoint, cell, tokens: ids.length,
      layers: counter.fractions().map((layer) => Object.fromEntries(layer.map((f, g) => [names[g]!, { left: Array.from(f.left), right: Array.from(f.right) }]))),
    };
  }

  async select(request: SelectRequest): Promise<SelectResult> {
    const m = await this.models.load(request.projectDir, request.runId, request.checkpoint);
    const { ids } = await this.corpora.ids(request.projectDir, request.runId, request.source, m);
    const { hiddenSize: H } = m.model.config;
    checkLayer(request.layer, m);
    if (request.to > ids.length) throw new InspectError('OutOfRange', `The text has ${ids.length} tokens; the range ends at ${request.to}.`, { field: 'to', to: request.to, tokens: ids.length });
    const h = new Float32Array((request.to - request.from) * H);
    await eachChunk(m.model, ids.subarray(0, request.to), null, (record, from, steps) => {
      const lo = Math.max(from, request.from);
      if (lo < from + steps) h.set(record.layers[request.layer]!.h.subarray((lo - from) * H, steps * H), (lo - request.from) * H);
    }, undefined, false);
    return { units: selectUnits(h, H, 0, request.to - request.from, request.threshold), tokens: m.vocab.decodeTokens(ids.subarray(request.from, request.to)) };
  }

  async match(request: MatchRequest, ctx: TaskContext<MatchEvent>): Promise<JobOutcome> {
    const m = await this.models.load(request.projectDir, request.runId, request.checkpoint);
    const { hiddenSize: H } = m.model.config;
    checkLayer(request.layer, m);
    const bad = request.units.find((u) => u >= H);
    if (bad !== undefined) throw new InspectError('OutOfRange', `Unit ${bad} does not exist: layer ${request.layer} has units 0 to ${H - 1}.`, { field: 'units', unit: bad });
    const corpus = await this.corpora.corpus(request.projectDir, request.runId);
    const ids = corpus.subarray(0, Math.min(corpus.length, request.corpusTokens));
    const separator = m.vocabFile.separator;
    ctx.emit({ kind: 'head', value: { jobId: request.jobId, checkpoint: m.checkpoint, corpusTokens: ids.length, separator } });
    const matcher = new CorpusMatcher({ hiddenSize: H, units: request.units, threshold: request.threshold, length: request.length, top: MATCH_TOP });
    const text = (a: number, b: number) => m.vocab.decode(corpus.subarray(Math.max(0, a), Math.min(corpus.length, b)), separator);
    const report = () =>
      ctx.emit({
        kind: 'data',
        value: {
          jobId: request.jobId, scanned: matcher.scanned, total: ids.length,
          matches: matcher.results().map(({ start, end, score }) => ({ start, end, score, before: text(start - request.context, start), text: text(start, end), after: text(end, end + request.context) })),
        },
      });
    let chunks = 0;
    const outcome = await eachChunk(m.model, ids, ctx.signal, (record, _from, steps) => {
      matcher.push(record.layers[request.layer]!.h, steps);
      if (++chunks % MATCH_REPORT_CHUNKS === 0) report();
    }, undefined, false);
    report();
    return { status: outcome, processed: matcher.scanned };
  }
}

function checkLayer(layer: number, m: InspectModel): void {
  const L = m.model.config.numLayers;
  if (layer >= L) throw new InspectError('OutOfRange', `Layer ${layer} does not exist: this model has layers 0 to ${L - 1}.`, { field: 'layer', layer });
}

/**
 * Runs `ids` chunk by chunk from `state` (zeros unless given; left holding the final state),
 * calling `visit` with each chunk's record and logits, and yielding to the event loop between
 * chunks. Stops early, answering 'cancelled', once `signal` fires.
 */
async function eachChunk(
  model: RnnModel<Float32Array>, ids: Int32Array, signal: AbortSignal | null,
  visit: (record: ReturnType<typeof recordChunk>, from: number, steps: number, logits: Float32Array) => void,
  state: RecurrentState<Float32Array> = model.createState(1), gates = true,
): Promise<'done' | 'cancelled'> {
  for (let from = 0; from < ids.length; from += INSPECT_CHUNK_STEPS) {
    if (signal?.aborted) return 'cancelled';
    // the model's scratch workspace: used within this synchronous stretch only (other jobs may use it between chunks)
    const ws = model.scratchWorkspace(INSPECT_CHUNK_STEPS, 1);
    const steps = Math.min(INSPECT_CHUNK_STEPS, ids.length - from);
    visit(recordChunk(model, ws, ids.subarray(from, from + steps), steps, state, gates), from, steps, ws.logits);
    await nextTurn();
  }
  return 'done';
}

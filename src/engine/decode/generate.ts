import type { RecurrentState } from '../model/state';
import type { RnnModel } from '../model/rnn-model';
import type { Workspace } from '../model/workspace';
import type { Rng } from '../rng';
import type { FloatArray } from '../tensor';
import { Sampler, validateSamplingOptions, type SampledToken, type SamplingOptions } from './sampling';

export interface GenerateResult {
  /** The generated token ids (the prefix excluded). */
  ids: number[];
  /** Model probability of each generated token given everything before it. */
  probs: number[];
  /** Probability each token had under the (tempered, truncated) distribution it was drawn from. */
  samplingProbs: number[];
}

/**
 * One sequence of inference with its own batch-1 workspace, independent of the training batch
 * size (d2l 9.5 `predict`): warm up on a prefix to build the state, then generate token by token.
 */
export class Decoder<A extends FloatArray> {
  readonly model: RnnModel<A>;
  readonly state: RecurrentState<A>;
  private readonly ws: Workspace<A>;
  private readonly sampler: Sampler;
  private readonly input = new Int32Array(1);
  private ready = false;

  /**
   * `workspace`: 'own' (default) allocates this decoder's buffers; 'scratch' borrows the model's
   * scratch workspace, for a decoder used up within one synchronous call (see `generate`).
   */
  constructor(model: RnnModel<A>, workspace: 'own' | 'scratch' = 'own') {
    this.model = model;
    this.ws = workspace === 'scratch' ? model.scratchWorkspace(1, 1) : model.createWorkspace(1, 1);
    this.state = model.createState(1);
    this.sampler = new Sampler(model.config.vocabSize);
  }

  /** Back to the zero state with nothing fed. */
  reset(): void {
    this.state.h.fill(0);
    this.state.c?.fill(0);
    this.ready = false;
  }

  /** Feed one token: the state advances and the logits for the next token are ready. */
  feed(id: number): void {
    this.input[0] = id;
    this.ws.forward(this.input, { initial: this.state, final: this.state });
    this.ready = true;
  }

  /** Feed every token of the prefix, in order. */
  warmUp(prefix: ArrayLike<number>): void {
    for (let i = 0; i < prefix.length; i++) this.feed(prefix[i]!);
  }

  /** Logits (V) for the next token, after at least one token was fed. */
  get logits(): A {
    if (!this.ready) throw new RangeError('feed at least one token before asking for the next');
    return this.ws.logits;
  }

  /** Choose the next token from the current logits and feed it. */
  next(options: SamplingOptions = {}, rng?: Rng): SampledToken {
    const token = this.sampler.sample(this.logits, 0, options, rng);
    this.feed(token.id);
    return token;
  }
}

/** Warm up on `prefix` (at least one token) from a zero state, then generate `count` tokens. */
export function generate<A extends FloatArray>(
  model: RnnModel<A>, prefix: ArrayLike<number>, count: number, options: SamplingOptions = {}, rng?: Rng,
): GenerateResult {
  if (prefix.length < 1) throw new RangeError('generation needs a prefix of at least one token');
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  validateSamplingOptions(options);
  // the whole generation happens in this call, so it borrows the model's buffers: samples taken
  // every epoch do not grow a WebAssembly arena
  const decoder = new Decoder(model, 'scratch');
  decoder.warmUp(prefix);
  const out: GenerateResult = { ids: [], probs: [], samplingProbs: [] };
  for (let i = 0; i < count; i++) {
    const t = decoder.next(options, rng);
    out.ids.push(t.id);
    out.probs.push(t.prob);
    out.samplingProbs.push(t.samplingProb);
  }
  return out;
}

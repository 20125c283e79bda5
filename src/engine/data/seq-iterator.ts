/**
 * Epoch-by-epoch minibatch iterator over a token-id stream (d2l 8.3), seeded by an injected Rng
 * and resumable mid-epoch.
 *
 * Each epoch starts by drawing from the Rng: the offset (sequential: 0..numSteps inclusive, as
 * d2l's `randint(0, num_steps)`; random: 0..numSteps-1), then, in random mode, a Fisher–Yates
 * shuffle of the subsequence order. The first epoch is drawn in the constructor and each next one
 * when `next` reports the end of the previous, so the draws happen at fixed points of a run.
 *
 * The position records the Rng state from just before the current epoch's draws, which is all it
 * takes to regenerate the offset and order (it stays small for a 200 MB corpus). Restoring
 * replays those draws on a private copy and leaves the injected Rng alone: the caller restores
 * the injected Rng from the same checkpoint.
 */
import { Rng, type RngState } from '../rng';
import { DataError } from './errors';
import { fillRandomBatch, fillSequentialBatch, maxOffset, minBatchesPerEpoch, numBatches, numSubsequences, type SamplingMode } from './seq-batches';

export interface SeqIteratorOptions {
  mode: SamplingMode;
  batchSize: number;
  numSteps: number;
}

export interface SeqIteratorPosition {
  format: 'rnnlab.seq-iterator';
  version: 1;
  mode: SamplingMode;
  batchSize: number;
  numSteps: number;
  corpusLength: number;
  /** 0-based epoch in progress. */
  epoch: number;
  /** Minibatches of this epoch already produced. */
  index: number;
  /** This epoch's offset (redundant: checked against the regenerated one). */
  offset: number;
  /** Rng state just before this epoch's offset and shuffle were drawn. */
  epochRngState: RngState;
}

export class SeqIterator {
  readonly mode: SamplingMode;
  readonly batchSize: number;
  readonly numSteps: number;
  private readonly corpus: Int32Array;
  private readonly rng: Rng;
  private readonly orderBuffer: Int32Array;
  private order: Int32Array;
  private epochValue = 0;
  private indexValue = 0;
  private offsetValue = 0;
  private batches = 0;
  private epochRngState: RngState;

  constructor(corpus: Int32Array, options: SeqIteratorOptions, rng: Rng, position?: SeqIteratorPosition) {
    const { mode, batchSize, numSteps } = options;
    if (mode !== 'sequential' && mode !== 'random') throw new DataError('InvalidOption', 'The sampling mode must be sequential or random.', { mode });
    for (const [name, v] of [['batchSize', batchSize], ['numSteps', numSteps]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new DataError('InvalidOption', `${name} must be a whole number of at least 1.`, { [name]: v });
    }
    if (minBatchesPerEpoch(mode, corpus.length, batchSize, numSteps) < 1) {
      throw new DataError('CorpusTooShort', 'The training text is too short for one minibatch with this batch size and number of time steps.', { corpusLength: corpus.length, batchSize, numSteps });
    }
    this.mode = mode;
    this.batchSize = batchSize;
    this.numSteps = numSteps;
    this.corpus = corpus;
    this.rng = rng;
    this.orderBuffer = new Int32Array(mode === 'random' ? numSubsequences(corpus.length, numSteps, 0) : 0);
    this.order = this.orderBuffer;
    if (position === undefined) {
      this.epochRngState = rng.getState();
      this.drawEpoch(rng);
    } else {
      this.epochRngState = this.restore(position);
    }
  }

  get epoch(): number {
    return this.epochValue;
  }

  /** Minibatches produced so far in the current epoch. */
  get index(): number {
    return this.indexValue;
  }

  get offset(): number {
    return this.offsetValue;
  }

  /** Minibatches in the current epoch (depends on its offset, as in d2l). */
  get batchesThisEpoch(): number {
    return this.batches;
  }

  /**
   * Whether the minibatch last produced starts fresh sequences, so the hidden state must be
   * re-initialised: always in random mode; in sequential mode only the first of an epoch (the
   * others continue the previous rows, and the state is carried and detached).
   */
  get startsNewSequence(): boolean {
    return this.mode === 'random' || this.indexValue === 1;
  }

  /**
   * Writes the next minibatch into x and y, each (numSteps × batchSize) time-major, and returns
   * true; at the end of an epoch writes nothing, starts the next epoch and returns false.
   */
  next(x: Int32Array, y: Int32Array): boolean {
    const size = this.batchSize * this.numSteps;
    if (x.length < size || y.length < size) throw new RangeError(`next: buffers must hold numSteps × batchSize = ${size} ids`);
    if (this.indexValue >= this.batches) {
      this.epochValue += 1;
      this.indexValue = 0;
      this.epochRngState = this.rng.getState();
      this.drawEpoch(this.rng);
      return false;
    }
    if (this.mode === 'sequential') fillSequentialBatch(this.corpus, this.offsetValue, this.batchSize, this.numSteps, this.indexValue, x, y);
    else fillRandomBatch(this.corpus, this.offsetValue, this.order, this.batchSize, this.numSteps, this.indexValue, x, y);
    this.indexValue += 1;
    return true;
  }

  /** A plain, JSON-serialisable snapshot; restoring it continues with the same minibatches. */
  position(): SeqIteratorPosition {
    return {
      format: 'rnnlab.seq-iterator',
      version: 1,
      mode: this.mode,
      batchSize: this.batchSize,
      numSteps: this.numSteps,
      corpusLength: this.corpus.length,
      epoch: this.epochValue,
      index: this.indexValue,
      offset: this.offsetValue,
      epochRngState: [...this.epochRngState],
    };
  }

  private drawEpoch(rng: Rng): void {
    this.offsetValue = rng.nextInt(maxOffset(this.mode, this.numSteps) + 1);
    this.batches = numBatches(this.mode, this.corpus.length, this.batchSize, this.numSteps, this.offsetValue);
    if (this.mode === 'random') {
      const n = numSubsequences(this.corpus.length, this.numSteps, this.offsetValue);
      this.order = this.orderBuffer.subarray(0, n);
      for (let k = 0; k < n; k++) this.order[k] = k;
      rng.shuffle(this.order);
    }
  }

  private restore(p: SeqIteratorPosition): RngState {
    const fail = (reason: string): never => {
      throw new DataError('InvalidPosition', 'The saved position of the minibatch iterator does not fit this dataset or configuration.', { reason });
    };
    if (typeof p !== 'object' || p === null || p.format !== 'rnnlab.seq-iterator' || p.version !== 1) fail('unknown format');
    if (p.mode !== this.mode || p.batchSize !== this.batchSize || p.numSteps !== this.numSteps) fail('different sampling options');
    if (p.corpusLength !== this.corpus.length) fail('different corpus length');
    if (!Number.isInteger(p.epoch) || p.epoch < 0) fail('bad epoch');
    let state: RngState;
    try {
      state = new Rng(p.epochRngState).getState();
    } catch {
      return fail('bad rng state');
    }
    this.drawEpoch(new Rng(state));
    if (this.offsetValue !== p.offset) fail('offset does not match the rng state');
    if (!Number.isInteger(p.index) || p.index < 0 || p.index > this.batches) fail('bad index');
    this.epochValue = p.epoch;
    this.indexValue = p.index;
    return state;
  }
}

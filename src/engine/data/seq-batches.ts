/**
 * The two minibatch layouts of d2l 8.3, as pure functions of the corpus and an offset.
 * Output is time-major like PyTorch's batch_first=False: x and y are (T, B), index t*B + b,
 * and y is x shifted one token further in the stream.
 *
 * seq_data_iter_sequential: drop `offset` tokens, keep floor((L - offset - 1) / B) * B of them,
 * lay them out as B contiguous rows, and cut the rows into windows of T. Row b of minibatch i+1
 * continues row b of minibatch i, so hidden state can be carried across minibatches.
 *
 * seq_data_iter_random: drop `offset` tokens, cut floor((L - offset - 1) / T) subsequences of T,
 * shuffle their order, and take B of them per minibatch; no continuity between minibatches.
 */

export type SamplingMode = 'sequential' | 'random';

export const SAMPLING_MODES: readonly SamplingMode[] = ['sequential', 'random'];

/** Tokens per row of the sequential layout. */
export function sequentialRowLength(corpusLength: number, batchSize: number, offset: number): number {
  return Math.max(0, Math.floor((corpusLength - offset - 1) / batchSize));
}

/** d2l: num_batches = (num_tokens / batch_size) // num_steps. */
export function numSequentialBatches(corpusLength: number, batchSize: number, numSteps: number, offset: number): number {
  return Math.floor(sequentialRowLength(corpusLength, batchSize, offset) / numSteps);
}

/** d2l: num_subseqs = (len(corpus) - 1) // num_steps after the offset. */
export function numSubsequences(corpusLength: number, numSteps: number, offset: number): number {
  return Math.max(0, Math.floor((corpusLength - offset - 1) / numSteps));
}

/** d2l: num_batches = num_subseqs // batch_size. */
export function numRandomBatches(corpusLength: number, batchSize: number, numSteps: number, offset: number): number {
  return Math.floor(numSubsequences(corpusLength, numSteps, offset) / batchSize);
}

export function numBatches(mode: SamplingMode, corpusLength: number, batchSize: number, numSteps: number, offset: number): number {
  return mode === 'sequential' ? numSequentialBatches(corpusLength, batchSize, numSteps, offset) : numRandomBatches(corpusLength, batchSize, numSteps, offset);
}

/**
 * Largest offset each mode draws. d2l's sequential iterator uses `random.randint(0, num_steps)`,
 * which includes num_steps; its random iterator uses `random.randint(0, num_steps - 1)`.
 */
export function maxOffset(mode: SamplingMode, numSteps: number): number {
  return mode === 'sequential' ? numSteps : numSteps - 1;
}

/** Fewest minibatches an epoch can have, whatever offset is drawn (for progress estimates and checks). */
export function minBatchesPerEpoch(mode: SamplingMode, corpusLength: number, batchSize: number, numSteps: number): number {
  return numBatches(mode, corpusLength, batchSize, numSteps, maxOffset(mode, numSteps));
}

/** Minibatch `i` of the sequential layout into x, y: (T, B). */
export function fillSequentialBatch(corpus: ArrayLike<number>, offset: number, batchSize: number, numSteps: number, i: number, x: Int32Array, y: Int32Array): void {
  const rowLength = sequentialRowLength(corpus.length, batchSize, offset);
  for (let b = 0; b < batchSize; b++) {
    const start = offset + b * rowLength + i * numSteps;
    for (let t = 0; t < numSteps; t++) {
      x[t * batchSize + b] = corpus[start + t]!;
      y[t * batchSize + b] = corpus[start + t + 1]!;
    }
  }
}

/** Minibatch `i` of the random layout: subsequences order[i*B .. i*B+B) into x, y: (T, B). */
export function fillRandomBatch(corpus: ArrayLike<number>, offset: number, order: ArrayLike<number>, batchSize: number, numSteps: number, i: number, x: Int32Array, y: Int32Array): void {
  for (let b = 0; b < batchSize; b++) {
    const start = offset + order[i * batchSize + b]! * numSteps;
    for (let t = 0; t < numSteps; t++) {
      x[t * batchSize + b] = corpus[start + t]!;
      y[t * batchSize + b] = corpus[start + t + 1]!;
    }
  }
}

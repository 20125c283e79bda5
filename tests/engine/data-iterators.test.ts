import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { fillRandomBatch, fillSequentialBatch, minBatchesPerEpoch, numRandomBatches, numSequentialBatches, type SamplingMode } from '../../src/engine/data/seq-batches';
import { SeqIterator } from '../../src/engine/data/seq-iterator';

type Rows = number[][];
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

/** (T, B) time-major → B rows of T, the batch_first view d2l prints. */
function rows(x: Int32Array, T: number, B: number): Rows {
  return range(0, B).map((b) => range(0, T).map((t) => x[t * B + b]!));
}

// d2l 8.3 transliterated with plain arrays, to compare against.
function d2lSequential(corpus: number[], B: number, T: number, offset: number): [Rows, Rows][] {
  const numTokens = Math.floor((corpus.length - offset - 1) / B) * B;
  const Xs = corpus.slice(offset, offset + numTokens);
  const Ys = corpus.slice(offset + 1, offset + 1 + numTokens);
  const cols = numTokens / B;
  const reshape = (a: number[]) => range(0, B).map((b) => a.slice(b * cols, (b + 1) * cols));
  const [Xr, Yr] = [reshape(Xs), reshape(Ys)];
  const out: [Rows, Rows][] = [];
  for (let i = 0; i < T * Math.floor(cols / T); i += T) out.push([Xr.map((r) => r.slice(i, i + T)), Yr.map((r) => r.slice(i, i + T))]);
  return out;
}

function d2lRandom(corpus: number[], B: number, T: number, offset: number, shuffledSubseqs: number[]): [Rows, Rows][] {
  const c = corpus.slice(offset);
  const numSubseqs = Math.floor((c.length - 1) / T);
  const initial = shuffledSubseqs.map((k) => k * T); // d2l's initial_indices after random.shuffle
  const data = (pos: number) => c.slice(pos, pos + T);
  const out: [Rows, Rows][] = [];
  for (let i = 0; i < B * Math.floor(numSubseqs / B); i += B) {
    const idx = initial.slice(i, i + B);
    out.push([idx.map(data), idx.map((j) => data(j + 1))]);
  }
  return out;
}

function drain(it: SeqIterator, T: number, B: number): [Rows, Rows][] {
  const x = new Int32Array(T * B), y = new Int32Array(T * B);
  const out: [Rows, Rows][] = [];
  while (it.next(x, y)) out.push([rows(x, T, B), rows(y, T, B)]);
  return out;
}

const mySeq = range(0, 35); // d2l's example: list(range(35)), batch_size=2, num_steps=5

describe('sequential partitioning (d2l seq_data_iter_sequential)', () => {
  it('lays the stream out as contiguous rows for offset 0', () => {
    const x = new Int32Array(10), y = new Int32Array(10);
    expect(numSequentialBatches(35, 2, 5, 0)).toBe(3);
    const expected: [Rows, Rows][] = [
      [[[0, 1, 2, 3, 4], [17, 18, 19, 20, 21]], [[1, 2, 3, 4, 5], [18, 19, 20, 21, 22]]],
      [[[5, 6, 7, 8, 9], [22, 23, 24, 25, 26]], [[6, 7, 8, 9, 10], [23, 24, 25, 26, 27]]],
      [[[10, 11, 12, 13, 14], [27, 28, 29, 30, 31]], [[11, 12, 13, 14, 15], [28, 29, 30, 31, 32]]],
    ];
    expected.forEach(([X, Y], i) => {
      fillSequentialBatch(mySeq, 0, 2, 5, i, x, y);
      expect(rows(x, 5, 2)).toEqual(X);
      expect(rows(y, 5, 2)).toEqual(Y);
    });
  });

  it('writes time-major buffers, index t*B + b', () => {
    const x = new Int32Array(10), y = new Int32Array(10);
    fillSequentialBatch(mySeq, 0, 2, 5, 0, x, y);
    expect(Array.from(x)).toEqual([0, 17, 1, 18, 2, 19, 3, 20, 4, 21]);
  });

  it('has two minibatches for the largest offset, 5 (d2l draws randint(0, num_steps) inclusive)', () => {
    expect(numSequentialBatches(35, 2, 5, 5)).toBe(2);
    const x = new Int32Array(10), y = new Int32Array(10);
    fillSequentialBatch(mySeq, 5, 2, 5, 1, x, y);
    expect(rows(x, 5, 2)).toEqual([[10, 11, 12, 13, 14], [24, 25, 26, 27, 28]]);
    expect(minBatchesPerEpoch('sequential', 35, 2, 5)).toBe(2);
  });

  it('matches the d2l algorithm for every offset and several shapes', () => {
    const corpus = range(100, 171);
    for (const [B, T] of [[2, 5], [3, 4], [1, 7], [4, 3]] as const) {
      for (let offset = 0; offset <= T; offset++) {
        const ref = d2lSequential(corpus, B, T, offset);
        expect(numSequentialBatches(corpus.length, B, T, offset)).toBe(ref.length);
        const x = new Int32Array(T * B), y = new Int32Array(T * B);
        ref.forEach(([X, Y], i) => {
          fillSequentialBatch(corpus, offset, B, T, i, x, y);
          expect([rows(x, T, B), rows(y, T, B)]).toEqual([X, Y]);
        });
      }
    }
  });
});

describe('random sampling (d2l seq_data_iter_random)', () => {
  it('takes the shuffled subsequences after the offset, B per minibatch', () => {
    // offset 2: subsequences start at 2, 7, 12, 17, 22, 27; num_subseqs = (33 - 1) // 5 = 6
    expect(numRandomBatches(35, 2, 5, 2)).toBe(3);
    const order = [4, 0, 5, 2, 1, 3];
    const x = new Int32Array(10), y = new Int32Array(10);
    fillRandomBatch(mySeq, 2, order, 2, 5, 0, x, y);
    expect(rows(x, 5, 2)).toEqual([[22, 23, 24, 25, 26], [2, 3, 4, 5, 6]]);
    expect(rows(y, 5, 2)).toEqual([[23, 24, 25, 26, 27], [3, 4, 5, 6, 7]]);
    fillRandomBatch(mySeq, 2, order, 2, 5, 2, x, y);
    expect(rows(x, 5, 2)).toEqual([[7, 8, 9, 10, 11], [17, 18, 19, 20, 21]]);
  });

  it('matches the d2l algorithm for the offset and order the iterator draws', () => {
    const corpus = range(0, 203);
    for (const [B, T] of [[2, 5], [3, 4], [5, 6]] as const) {
      for (let seed = 0; seed < 5; seed++) {
        const shadow = new Rng(seed);
        const offset = shadow.nextInt(T); // randint(0, num_steps - 1)
        const order = range(0, Math.floor((corpus.length - offset - 1) / T));
        shadow.shuffle(order);
        const it = new SeqIterator(Int32Array.from(corpus), { mode: 'random', batchSize: B, numSteps: T }, new Rng(seed));
        expect(it.offset).toBe(offset);
        expect(drain(it, T, B)).toEqual(d2lRandom(corpus, B, T, offset, order));
      }
    }
  });
});

describe('SeqIterator', () => {
  const corpus = Int32Array.from(range(0, 233)); // token i has id i, so shifts are visible
  const B = 3, T = 7;
  const make = (mode: SamplingMode, seed = 1) => new SeqIterator(corpus, { mode, batchSize: B, numSteps: T }, new Rng(seed));

  it('matches the d2l sequential algorithm for the offset it draws', () => {
    for (let seed = 0; seed < 6; seed++) {
      const it = make('sequential', seed);
      const offset = it.offset;
      expect(offset).toBe(new Rng(seed).nextInt(T + 1)); // randint(0, num_steps)
      expect(drain(it, T, B)).toEqual(d2lSequential(Array.from(corpus), B, T, offset));
    }
  });

  for (const mode of ['sequential', 'random'] as const) {
    it(`makes every ${mode} target the input shifted one token along the stream`, () => {
      const it = make(mode);
      const x = new Int32Array(T * B), y = new Int32Array(T * B);
      for (let epoch = 0; epoch < 3; epoch++) while (it.next(x, y)) for (let k = 0; k < x.length; k++) expect(y[k]).toBe(x[k]! + 1);
    });

    it(`draws ${mode} offsets over the whole d2l range and sizes each epoch as d2l does`, () => {
      const it = make(mode, 5);
      const seen = new Set<number>();
      const x = new Int32Array(T * B), y = new Int32Array(T * B);
      for (let epoch = 0; epoch < 200; epoch++) {
        seen.add(it.offset);
        const expected = mode === 'sequential' ? numSequentialBatches(corpus.length, B, T, it.offset) : numRandomBatches(corpus.length, B, T, it.offset);
        expect(it.batchesThisEpoch).toBe(expected);
        let n = 0;
        while (it.next(x, y)) n++;
        expect(n).toBe(expected);
        expect(it.epoch).toBe(epoch + 1);
      }
      expect([...seen].sort((a, b) => a - b)).toEqual(range(0, mode === 'sequential' ? T + 1 : T));
    });
  }

  it('continues each sequential row exactly where the previous minibatch left it', () => {
    const it = make('sequential');
    const x = new Int32Array(T * B), y = new Int32Array(T * B);
    let prev: Int32Array | null = null;
    while (it.next(x, y)) {
      expect(it.startsNewSequence).toBe(prev === null);
      if (prev) for (let b = 0; b < B; b++) expect(x[b]).toBe(prev[(T - 1) * B + b]! + 1);
      prev = x.slice();
    }
  });

  it('covers every random subsequence exactly once per epoch with batch size 1', () => {
    const it = new SeqIterator(corpus, { mode: 'random', batchSize: 1, numSteps: T }, new Rng(8));
    for (let epoch = 0; epoch < 5; epoch++) {
      const offset = it.offset;
      const starts = drain(it, T, 1).map(([X]) => X[0]![0]!);
      const all = range(0, Math.floor((corpus.length - offset - 1) / T)).map((k) => offset + k * T);
      expect([...starts].sort((a, b) => a - b)).toEqual(all);
      expect(starts).not.toEqual(all); // shuffled
    }
  });

  it('uses each random subsequence at most once per epoch, all but fewer than B of them', () => {
    const it = make('random', 3);
    const x = new Int32Array(T * B), y = new Int32Array(T * B);
    for (let epoch = 0; epoch < 10; epoch++) {
      const offset = it.offset;
      const starts: number[] = [];
      while (it.next(x, y)) {
        expect(it.startsNewSequence).toBe(true);
        for (let b = 0; b < B; b++) starts.push(x[b]!);
      }
      const numSubseqs = Math.floor((corpus.length - offset - 1) / T);
      const all = range(0, numSubseqs).map((k) => offset + k * T);
      expect(new Set(starts).size).toBe(starts.length);
      for (const s of starts) expect(all).toContain(s);
      expect(starts.length).toBe(B * Math.floor(numSubseqs / B));
    }
  });

  for (const mode of ['sequential', 'random'] as const) {
    it(`continues with the same ${mode} minibatches after its position and the rng are saved and restored mid-epoch`, () => {
      const rngA = new Rng(11);
      const a = new SeqIterator(corpus, { mode, batchSize: B, numSteps: T }, rngA);
      const x = new Int32Array(T * B), y = new Int32Array(T * B);
      // an epoch and a half, with another consumer drawing from the same rng in between
      while (a.next(x, y)) rngA.nextFloat();
      for (let i = 0; i < 4; i++) a.next(x, y);
      const saved = JSON.parse(JSON.stringify({ position: a.position(), rng: rngA.getState() }));

      const rngB = new Rng(saved.rng);
      const b = new SeqIterator(corpus, { mode, batchSize: B, numSteps: T }, rngB, saved.position);
      expect([b.epoch, b.index, b.offset]).toEqual([a.epoch, a.index, a.offset]);
      const xb = new Int32Array(T * B), yb = new Int32Array(T * B);
      for (let k = 0; k < 100; k++) {
        const ra = a.next(x, y), rb = b.next(xb, yb);
        expect(rb).toBe(ra);
        expect(Array.from(xb)).toEqual(Array.from(x));
        expect(Array.from(yb)).toEqual(Array.from(y));
        expect(b.startsNewSequence).toBe(a.startsNewSequence);
        if (!ra) {
          rngA.nextFloat();
          rngB.nextFloat();
        }
      }
    });
  }

  it('restores a position saved at an epoch boundary', () => {
    const rngA = new Rng(2);
    const a = make('random');
    const x = new Int32Array(T * B), y = new Int32Array(T * B);
    while (a.next(x, y));
    const b = new SeqIterator(corpus, { mode: 'random', batchSize: B, numSteps: T }, rngA, a.position());
    expect(drain(b, T, B)).toEqual(drain(a, T, B));
  });

  it('rejects a position saved for other options or another corpus', () => {
    const p = make('random').position();
    const code = expect.objectContaining({ code: 'InvalidPosition' });
    expect(() => new SeqIterator(corpus, { mode: 'sequential', batchSize: B, numSteps: T }, new Rng(0), p)).toThrow(code);
    expect(() => new SeqIterator(corpus, { mode: 'random', batchSize: B + 1, numSteps: T }, new Rng(0), p)).toThrow(code);
    expect(() => new SeqIterator(corpus.subarray(1), { mode: 'random', batchSize: B, numSteps: T }, new Rng(0), p)).toThrow(code);
    expect(() => new SeqIterator(corpus, { mode: 'random', batchSize: B, numSteps: T }, new Rng(0), { ...p, index: 999 })).toThrow(code);
    expect(() => new SeqIterator(corpus, { mode: 'random', batchSize: B, numSteps: T }, new Rng(0), { ...p, offset: (p.offset + 1) % T })).toThrow(code);
    expect(() => new SeqIterator(corpus, { mode: 'random', batchSize: B, numSteps: T }, new Rng(0), { ...p, epochRngState: [0, 0, 0, 0] })).toThrow(code);
  });

  it('refuses a corpus too short for one minibatch at every offset', () => {
    // sequential with offset 5 leaves (16 - 5 - 1) // 2 = 5 tokens per row: exactly one batch
    expect(() => new SeqIterator(Int32Array.from(range(0, 16)), { mode: 'sequential', batchSize: 2, numSteps: 5 }, new Rng(0))).not.toThrow();
    expect(() => new SeqIterator(Int32Array.from(range(0, 15)), { mode: 'sequential', batchSize: 2, numSteps: 5 }, new Rng(0))).toThrow(expect.objectContaining({ code: 'CorpusTooShort' }));
    expect(() => new SeqIterator(corpus, { mode: 'random', batchSize: 0, numSteps: 5 }, new Rng(0))).toThrow(expect.objectContaining({ code: 'InvalidOption' }));
  });
});

import { describe, expect, it } from 'vitest';
import { generate, scoreTokens } from '../../src/engine/decode';
import { createWasmKernels } from '../../src/engine/kernels/wasm';
import { Rng } from '../../src/engine/rng';
import { resolveTrainerOptions, Trainer } from '../../src/engine/train';

/*
 * The WebAssembly kernels' memory is a bump arena that never frees, so anything allocated per call
 * grows it for the life of the run. The periodic samples during training (d2l's `predict`, once per
 * epoch or more) and scoring must reuse their buffers: after 1,000 of them the memory is the size
 * it had after the first few.
 */
const V = 20;

function ids(seed: number, n: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: n }, () => rng.nextInt(V));
}

describe('WebAssembly arena across many samples', () => {
  for (const cell of ['gru', 'lstm'] as const) {
    it(`stays the same size over 1,000 training samples and scorings interleaved with training (${cell})`, () => {
      const kernels = createWasmKernels({ relaxed: false });
      const data = { train: ids(1, 4000), val: ids(2, 400), vocabSize: V };
      const trainer = new Trainer(resolveTrainerOptions({ cell, hiddenSize: 32, numSteps: 8, batchSize: 4, seed: 3 }), data, { kernels });
      const prefix = ids(3, 6);
      const sample = (i: number) => generate(trainer.model, prefix, 24, { temperature: 1 }, new Rng(i));
      for (let i = 0; i < 3; i++) {
        trainer.trainStep();
        sample(i);
        scoreTokens(trainer.model, ids(4 + i, 40));
      }
      const bytes = kernels.memory.buffer.byteLength;
      const used = kernels.arena.usedBytes;
      for (let i = 3; i < 1000; i++) {
        if (i % 10 === 0) trainer.trainStep();
        const out = sample(i);
        expect(out.ids).toHaveLength(24);
        if (i % 10 === 0) scoreTokens(trainer.model, ids(4 + i, 20 + (i % 300)));
      }
      expect(kernels.arena.usedBytes).toBe(used);
      expect(kernels.memory.buffer.byteLength).toBe(bytes);
    });
  }

  it('samples the same text from a reused workspace as from a fresh model state', () => {
    const kernels = createWasmKernels({ relaxed: false });
    const data = { train: ids(1, 2000), val: ids(2, 200), vocabSize: V };
    const trainer = new Trainer(resolveTrainerOptions({ cell: 'gru', hiddenSize: 16, numSteps: 8, batchSize: 4, seed: 5 }), data, { kernels });
    trainer.trainStep();
    const prefix = ids(9, 5);
    const first = generate(trainer.model, prefix, 30, { temperature: 1 }, new Rng(7));
    generate(trainer.model, ids(10, 3), 50, { temperature: 0.5 }, new Rng(8)); // leaves other state behind
    scoreTokens(trainer.model, ids(11, 60));
    expect(generate(trainer.model, prefix, 30, { temperature: 1 }, new Rng(7))).toEqual(first);
    const s1 = scoreTokens(trainer.model, ids(12, 300));
    scoreTokens(trainer.model, ids(13, 10));
    expect(scoreTokens(trainer.model, ids(12, 300))).toEqual(s1);
  });
});

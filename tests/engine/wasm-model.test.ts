import { describe, expect, it } from 'vitest';
import { RnnModel, type ModelConfig } from '../../src/engine/model';
import { Rng } from '../../src/engine/rng';
import { resolveTrainerOptions, Trainer } from '../../src/engine/train';
import type { Backend } from './wasm-backends';
import { wasmBackends } from './wasm-backends';
import { expectClose, expectMatchesPyTorch, referenceCases } from './pytorch-reference';

/*
 * The model-level references with the WebAssembly kernels selected, in float32 (the kernels are
 * float32-only; float64 arrays take the TypeScript path): the PyTorch fixtures of reference.test.ts
 * to 1e-4, the gradients that gradcheck.test.ts verifies by finite differences, determinism, and
 * exact resume of a training run.
 */


function inWasmMemory(b: Backend, a: Float32Array): boolean {
  return b.wasm!.arena.owns(a);
}

const backends = wasmBackends();

for (const b of backends) {
  describe(`language model with ${b.name} kernels against PyTorch (float32, 1e-4)`, () => {
    for (const c of referenceCases) {
      it(`matches PyTorch ${c.name}: logits, loss, final state, every gradient, ∂L/∂(initial state)`, () => {
        const model = new RnnModel(c.config, { dtype: Float32Array, kernels: b.kernels });
        expect(inWasmMemory(b, model.param('output.weight'))).toBe(true);
        expectMatchesPyTorch(model, c, 1e-4);
      });
    }
  });

  describe(`gradients with ${b.name} kernels equal the float64 gradients that pass finite differences`, () => {
    const cells: Array<Pick<ModelConfig, 'cell' | 'nonlinearity'>> = [
      { cell: 'rnn', nonlinearity: 'tanh' }, { cell: 'rnn', nonlinearity: 'relu' }, { cell: 'gru', nonlinearity: 'tanh' }, { cell: 'lstm', nonlinearity: 'tanh' },
    ];
    for (const cell of cells) {
      for (const [numLayers, embeddingDim, dropout] of [[1, 0, 0], [2, 5, 0], [3, 5, 0.3]] as const) {
        it(`${cell.cell} ${cell.nonlinearity}, ${numLayers} layer(s), ${embeddingDim ? 'embedding' : 'one-hot'}${dropout ? ', dropout' : ''}`, () => {
          const config: ModelConfig = { ...cell, vocabSize: 11, embeddingDim, hiddenSize: 12, numLayers, dropout };
          const T = 5, B = 3, data = new Rng(5);
          const ids = Int32Array.from({ length: T * B }, () => data.nextInt(11));
          const targets = Int32Array.from({ length: T * B }, () => data.nextInt(11));
          const ref = new RnnModel(config, { dtype: Float64Array, rng: new Rng(3) });
          const fast = new RnnModel(config, { dtype: Float32Array, kernels: b.kernels });
          fast.loadParameters(ref.params);
          const run = (m: RnnModel<Float32Array> | RnnModel<Float64Array>) => {
            const ws = m.createWorkspace(T, B);
            m.zeroGrads();
            const loss = ws.forward(ids, { targets, training: dropout > 0, rng: new Rng(17) });
            ws.backward();
            return { loss, dh0: ws.dInitial.h };
          };
          const want = run(ref), got = run(fast);
          expectClose('loss', [got.loss], [want.loss], 1e-5);
          for (const [name] of ref.grads) expectClose(`grad ${name}`, fast.grad(name), ref.grad(name), 1e-4);
          expectClose('dL/dh0', got.dh0, want.dh0, 1e-4);
        });
      }
    }
  });

  describe(`training with ${b.name} kernels`, () => {
    const V = 12, rng = new Rng(1);
    const data = { train: Int32Array.from({ length: 2000 }, () => rng.nextInt(V)), val: Int32Array.from({ length: 300 }, () => rng.nextInt(V)), vocabSize: V };
    const options = resolveTrainerOptions({ cell: 'lstm', hiddenSize: 24, numLayers: 2, dropout: 0.2, numSteps: 7, batchSize: 6, seed: 9 });
    const bits = (t: Trainer) => [...t.model.params.values()].map((p) => Array.from(new Uint32Array(p.data.slice().buffer)));

    it('is deterministic: the same seed gives bit-identical weights', () => {
      const a = new Trainer(options, data, { kernels: b.kernels }), c = new Trainer(options, data, { kernels: b.kernels });
      for (let i = 0; i < 12; i++) { a.trainStep(); c.trainStep(); }
      expect(bits(a)).toEqual(bits(c));
      expect(inWasmMemory(b, a.model.param('output.bias'))).toBe(true);
    });

    it('resumes a run bit-identically from its exported state', () => {
      const straight = new Trainer(options, data, { kernels: b.kernels });
      for (let i = 0; i < 10; i++) straight.trainStep();
      const first = new Trainer(options, data, { kernels: b.kernels });
      for (let i = 0; i < 4; i++) first.trainStep();
      const resumed = Trainer.restore(options, data, first.exportState(), { kernels: b.kernels });
      for (let i = 0; i < 6; i++) resumed.trainStep();
      expect(bits(resumed)).toEqual(bits(straight));
    });

    it('learns: the loss of a repeated pattern falls like with the TypeScript kernels', () => {
      const pattern = { ...data, train: Int32Array.from({ length: 2000 }, (_, i) => (i * 5) % V) };
      const o = resolveTrainerOptions({ cell: 'gru', hiddenSize: 32, numSteps: 10, batchSize: 8, seed: 2 });
      const fast = new Trainer(o, pattern, { kernels: b.kernels }), ref = new Trainer(o, pattern);
      let lf = 0, lr = 0;
      for (let i = 0; i < 60; i++) { lf = fast.trainStep().loss; lr = ref.trainStep().loss; }
      expect(lf).toBeLessThan(0.5);
      expect(Math.abs(lf - lr)).toBeLessThan(0.05);
    });
  });
}

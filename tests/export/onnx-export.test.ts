import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { buildOnnxModel, exportableFromModel } from '../../src/engine/export';
import { engineLogits, label, LETTERS, maxAbsDiff, smallModel, VARIANTS } from './helpers';

const PREFIX = [5, 9, 1, 12, 3, 3, 20, 0, 7, 2, 14, 1];
const SPLIT = 5;

async function run(session: ort.InferenceSession, ids: number[], state: Record<string, ort.Tensor>) {
  const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [ids.length, 1]), ...state };
  return session.run(feeds);
}

describe('ONNX export run by ONNX Runtime', () => {
  for (const v of VARIANTS) {
    it(`gives the engine's logits within 1e-5, also when fed its own state for a second chunk (${label(v)})`, async () => {
      const model = smallModel(v);
      const bytes = buildOnnxModel(exportableFromModel(model, { tokens: LETTERS, tokenizer: 'char', cleaning: 'letters' }));
      const session = await ort.InferenceSession.create(bytes);
      const { numLayers: L, hiddenSize: H, vocabSize: V } = model.config;
      const zeros = () => new ort.Tensor('float32', new Float32Array(L * H), [L, 1, H]);
      const state: Record<string, ort.Tensor> = { h0: zeros() };
      if (v.cell === 'lstm') state.c0 = zeros();

      const whole = await run(session, PREFIX, state);
      const expected = engineLogits(model, PREFIX);
      expect(whole.logits!.dims).toEqual([PREFIX.length, 1, V]);
      expect(maxAbsDiff(whole.logits!.data as Float32Array, expected)).toBeLessThan(1e-5);

      const first = await run(session, PREFIX.slice(0, SPLIT), state);
      const carried: Record<string, ort.Tensor> = { h0: first.hn! };
      if (v.cell === 'lstm') carried.c0 = first.cn!;
      const second = await run(session, PREFIX.slice(SPLIT), carried);
      expect(maxAbsDiff(second.logits!.data as Float32Array, expected.subarray(SPLIT * V))).toBeLessThan(1e-5);
      expect(maxAbsDiff(second.hn!.data as Float32Array, whole.hn!.data as Float32Array)).toBeLessThan(1e-5);
      await session.release();
    });
  }

  it('runs a batch of sequences side by side', async () => {
    const model = smallModel({ cell: 'lstm', numLayers: 2, embeddingDim: 0 });
    const session = await ort.InferenceSession.create(buildOnnxModel(exportableFromModel(model, { tokens: LETTERS, tokenizer: 'char', cleaning: 'letters' })));
    const a = [3, 4, 5, 6], b = [9, 1, 1, 2];
    const ids = new BigInt64Array(8);
    for (let t = 0; t < 4; t++) { ids[t * 2] = BigInt(a[t]!); ids[t * 2 + 1] = BigInt(b[t]!); }
    const zeros = new ort.Tensor('float32', new Float32Array(2 * 2 * 10), [2, 2, 10]);
    const out = await session.run({ input_ids: new ort.Tensor('int64', ids, [4, 2]), h0: zeros, c0: zeros });
    const V = LETTERS.length;
    const got = out.logits!.data as Float32Array;
    const ea = engineLogits(model, a), eb = engineLogits(model, b);
    for (let t = 0; t < 4; t++) {
      expect(maxAbsDiff(got.subarray((t * 2) * V, (t * 2 + 1) * V), ea.subarray(t * V, (t + 1) * V))).toBeLessThan(1e-5);
      expect(maxAbsDiff(got.subarray((t * 2 + 1) * V, (t * 2 + 2) * V), eb.subarray(t * V, (t + 1) * V))).toBeLessThan(1e-5);
    }
    await session.release();
  });
});

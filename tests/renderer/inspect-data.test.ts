/** The inspector's data preparation: assembling streamed chunks, the saturation scatter, saliency bars. */
import { describe, expect, it } from 'vitest';
import { addChunk, newInspection, predictionsAt, quantityOf } from '../../src/renderer/components/inspect/inspection-buffer';
import { saturationOption } from '../../src/renderer/components/inspect/saturation-option';
import { saliencyBars } from '../../src/renderer/components/inspect/saliency-bars';
import type { InspectChunk, InspectHeader } from '../../src/shared/inspect';

const header: InspectHeader = { jobId: 'j', checkpoint: 'step-1', cell: 'gru', numLayers: 1, hiddenSize: 2, gates: ['r', 'z', 'n'], steps: 4, separator: '', start: 0, kernels: 'x' };
const m = (values: number[]) => ({ rows: values.length / 2, cols: 2, data: Float32Array.from(values) });
function chunk(start: number, tokens: string[], base: number): InspectChunk {
  const v = tokens.flatMap((_, t) => [base + t, -(base + t)]);
  return { jobId: 'j', start, tokens, layers: [{ h: m(v), c: null, gates: { r: m(v), z: m(v), n: m(v) } }], top: { k: 2, tokens: tokens.flatMap((t) => [t, '?']), probs: Float32Array.from(tokens.flatMap(() => [0.7, 0.2])) } };
}
const theme = { text: '#000', muted: '#555', grid: '#ccc', panel: '#fff' };

describe('inspection buffer', () => {
  it('places each chunk at its steps, in any order, and counts the steps received from the start', () => {
    const ins = newInspection(header, 2);
    expect(addChunk(ins, chunk(2, ['c', 'd'], 20))).toBe(true);
    expect(addChunk(ins, chunk(0, ['a', 'b'], 10))).toBe(true);
    expect(ins.tokens).toEqual(['a', 'b', 'c', 'd']);
    expect([...quantityOf(ins, 0, 'h')!]).toEqual([10, -10, 11, -11, 20, -20, 21, -21]);
    expect(quantityOf(ins, 0, 'c')).toBeNull();
    expect(quantityOf(ins, 0, 'z')![5]).toBe(-20);
    expect(ins.received).toBe(4);
    expect(predictionsAt(ins, 3)).toEqual([{ token: 'd', p: expect.closeTo(0.7, 6) }, { token: '?', p: expect.closeTo(0.2, 6) }]);
  });

  it('refuses a chunk that runs past the announced steps or has other layers', () => {
    const ins = newInspection(header, 2);
    expect(addChunk(ins, chunk(3, ['x', 'y'], 0))).toBe(false);
    expect(addChunk(ins, { ...chunk(0, ['a'], 0), layers: [] })).toBe(false);
    expect(ins.received).toBe(0);
  });
});

describe('saturation scatter', () => {
  it('draws one series per gate with a dot per unit at (left fraction, right fraction)', () => {
    const option = saturationOption({ i: { left: [0.1, 0.2], right: [0.7, 0] }, f: { left: [0, 1], right: [0.5, 0] } }, theme, (i) => `c${i}`);
    const series = option['series'] as Array<{ name: string; data: number[][]; itemStyle: { color: string } }>;
    expect(series.map((s) => [s.name, s.itemStyle.color])).toEqual([['input gate i', 'c0'], ['forget gate f', 'c1']]);
    expect(series[0]!.data).toEqual([[0.1, 0.7], [0.2, 0]]);
    expect(option['xAxis']).toMatchObject({ min: 0, max: 1 });
  });
});

describe('saliency bars', () => {
  it('scales bars to the largest magnitude among the last tokens shown', () => {
    const bars = saliencyBars(['a', 'b', 'c', 'd'], [5, -1, 2, -0.5], 3);
    expect(bars.map((b) => [b.step, b.height])).toEqual([[1, 0.5], [2, 1], [3, 0.25]]);
    expect(saliencyBars(['a'], [0])[0]!.height).toBe(0);
    // a saliency that starts later in the text keeps the tokens' own step numbers
    expect(saliencyBars(['x', 'y'], [1, 2], 80, 1000).map((b) => b.step)).toEqual([1000, 1001]);
  });
});

import { describe, expect, it } from 'vitest';
import type { MatchEvent } from '../../../src/core/inspect/inspect-service';
import { loadRunData } from '../../../src/core/services/run-data';
import { saliencyOf, SaturationCounter, recordChunk } from '../../../src/engine/inspect';
import { RnnModel } from '../../../src/engine/model/rnn-model';
import {
  MAX_SALIENCY_STEPS, matchRequestSchema, saliencyRequestSchema, saturationRequestSchema, selectRequestSchema,
  type InspectMatches, type MatchStart,
} from '../../../src/shared/inspect';
import { inspectAll, service, trained } from './fixtures';
import { inspectRequestSchema } from '../../../src/shared/inspect';

describe('InspectService analyses', () => {
  it('computes saliency for the next token of the text by default, equal to the engine on the float64 model', async () => {
    const p = await trained({ cell: 'gru', numLayers: 2 });
    const { inspect, generation } = service(p.fs);
    const text = 'the time traveller said';
    const result = await inspect.saliency(saliencyRequestSchema.parse({ projectDir: p.dir, runId: p.runId, checkpoint: null, source: { kind: 'text', text }, step: 9, target: null }));
    expect(result).toMatchObject({ step: 9, from: 0, target: 'r', tokens: [...'the time t'] });
    const loaded = await generation.load(p.dir, p.runId, null);
    const m64 = new RnnModel(loaded.model.config, { dtype: Float64Array });
    m64.loadParameters(loaded.model.params);
    const ids = loaded.vocab.encode([...'the time t']);
    const ref = saliencyOf(m64, ids, loaded.vocab.idOf('r'));
    result.saliency.forEach((v, i) => expect(v).toBeCloseTo(ref.saliency[i]!, 4));
    expect(result.probability).toBeCloseTo(ref.probability, 5);
    const named = await inspect.saliency(saliencyRequestSchema.parse({ projectDir: p.dir, runId: p.runId, checkpoint: null, source: { kind: 'text', text }, step: 9, target: 'e' }));
    expect(named.target).toBe('e');
    expect(named.saliency).not.toEqual(result.saliency);
  });

  it('takes the most probable token after the last step, backpropagates through at most MAX_SALIENCY_STEPS tokens, and names bad fields', async () => {
    const p = await trained({ cell: 'lstm', numLayers: 1 });
    const { inspect } = service(p.fs);
    const base = { projectDir: p.dir, runId: p.runId, checkpoint: null };
    const long = await inspect.saliency(saliencyRequestSchema.parse({ ...base, source: { kind: 'dataset', start: 0, count: 1500 }, step: 1499, target: null }));
    expect(long.from).toBe(1500 - MAX_SALIENCY_STEPS);
    expect(long.saliency).toHaveLength(MAX_SALIENCY_STEPS);
    expect(long.tokens).toHaveLength(MAX_SALIENCY_STEPS);
    expect(long.probability).toBeGreaterThan(0);
    await expect(inspect.saliency(saliencyRequestSchema.parse({ ...base, source: { kind: 'text', text: 'the' }, step: 3, target: null }))).rejects.toMatchObject({ code: 'OutOfRange', details: { field: 'step' } });
    await expect(inspect.saliency(saliencyRequestSchema.parse({ ...base, source: { kind: 'text', text: 'the' }, step: 1, target: 'ZZ' }))).rejects.toMatchObject({ code: 'UnknownToken', details: { field: 'target' } });
  });

  it('measures gate saturation over the last N corpus tokens (the validation text)', async () => {
    const p = await trained({ cell: 'lstm', numLayers: 2 });
    const { inspect, generation } = service(p.fs);
    const result = await inspect.saturation(saturationRequestSchema.parse({ projectDir: p.dir, runId: p.runId, checkpoint: null, tokens: 300 }));
    expect(result).toMatchObject({ cell: 'lstm', tokens: 300 });
    expect(result.layers).toHaveLength(2);
    expect(Object.keys(result.layers[0]!)).toEqual(['i', 'f', 'g', 'o']);
    const data = await loadRunData(p.fs, p.dir, p.runId);
    const ids = Int32Array.from([...data.train, ...data.val].slice(-300));
    const loaded = await generation.load(p.dir, p.runId, null);
    const counter = new SaturationCounter(2, 4, 16);
    counter.add(recordChunk(loaded.model, loaded.model.createWorkspace(300, 1), ids, 300, loaded.model.createState(1)));
    const expected = counter.fractions();
    ['i', 'f', 'g', 'o'].forEach((g, k) => {
      // float32 on two kernel sets: a value within ~1e-6 of 0.1 or 0.9 may fall either side
      result.layers[1]![g]!.left.forEach((v, u) => expect(Math.abs(v - expected[1]![k]!.left[u]!)).toBeLessThanOrEqual(2 / 300));
      result.layers[1]![g]!.right.forEach((v, u) => expect(Math.abs(v - expected[1]![k]!.right[u]!)).toBeLessThanOrEqual(2 / 300));
    });
    const rnn = await trained({ cell: 'rnn', numLayers: 1 });
    const none = await service(rnn.fs).inspect.saturation(saturationRequestSchema.parse({ projectDir: rnn.dir, runId: rnn.runId, checkpoint: null }));
    expect(none.layers).toEqual([{}]);
  });

  it('selects the units on over a range and finds that range among the best matches of the corpus', async () => {
    const p = await trained({ cell: 'lstm', numLayers: 1 });
    const { inspect } = service(p.fs);
    const base = { projectDir: p.dir, runId: p.runId, checkpoint: null };
    const source = { kind: 'dataset' as const, start: 600, count: 50 };
    // pick the range and threshold from the activations themselves, so at least one unit is on
    const seen = await inspectAll(inspect, inspectRequestSchema.parse({ ...base, jobId: 'j', source }));
    const h = seen.chunks[0]!.layers[0]!.h.data;
    let unit = 0;
    for (let u = 1; u < 16; u++) if (Math.min(h[20 * 16 + u]!, h[21 * 16 + u]!, h[22 * 16 + u]!) > Math.min(h[20 * 16 + unit]!, h[21 * 16 + unit]!, h[22 * 16 + unit]!)) unit = u;
    const threshold = Math.min(h[20 * 16 + unit]!, h[21 * 16 + unit]!, h[22 * 16 + unit]!) - 1e-4;
    const selected = await inspect.select(selectRequestSchema.parse({ ...base, source, layer: 0, from: 20, to: 23, threshold }));
    expect(selected.units).toContain(unit);
    for (const u of selected.units) for (const t of [20, 21, 22]) expect(h[t * 16 + u]!).toBeGreaterThan(threshold);
    expect(selected.tokens).toEqual(seen.chunks[0]!.tokens.slice(20, 23));

    let start: MatchStart | null = null;
    const reports: InspectMatches[] = [];
    const emit = (e: MatchEvent) => (e.kind === 'head' ? (start = e.value) : reports.push(e.value));
    const request = matchRequestSchema.parse({ ...base, jobId: 'm', layer: 0, units: selected.units, threshold, length: 3, corpusTokens: 5000, context: 5 });
    const outcome = await inspect.match(request, { emit, signal: new AbortController().signal });
    const data = await loadRunData(p.fs, p.dir, p.runId);
    const total = Math.min(5000, data.train.length + data.val.length);
    expect(start).toMatchObject({ jobId: 'm', corpusTokens: total });
    expect(outcome).toEqual({ status: 'done', processed: total });
    const last = reports.at(-1)!;
    expect(last.scanned).toBe(total);
    expect(last.matches.length).toBeGreaterThan(0);
    expect(last.matches.length).toBeLessThanOrEqual(50);
    // the selected place (corpus 620…623) has every selected unit on and no other (select lists all of them): score 1,
    // so it is kept (as itself or an overlapping window of the same score), unless 50 earlier places score 1 too
    const kept = last.matches.some((m) => m.start < 623 && m.end > 620 && m.score === 1);
    expect(kept || (last.matches.length === 50 && last.matches.every((m) => m.score === 1 && m.start < 620))).toBe(true);
    const all = [...data.train, ...data.val];
    for (const m of last.matches) {
      expect(m.end - m.start).toBe(3);
      expect(m.text).toBe(data.vocab.decode(all.slice(m.start, m.end)));
      expect(m.before).toBe(data.vocab.decode(all.slice(Math.max(0, m.start - 5), m.start)));
    }
    expect(last.matches.map((m) => m.score)).toEqual([...last.matches.map((m) => m.score)].sort((a, b) => b - a));
  });

  it('refuses a layer or unit the model does not have', async () => {
    const p = await trained({ cell: 'gru', numLayers: 1 });
    const { inspect } = service(p.fs);
    const base = { projectDir: p.dir, runId: p.runId, checkpoint: null };
    await expect(inspect.select(selectRequestSchema.parse({ ...base, source: { kind: 'text', text: 'the time' }, layer: 1, from: 0, to: 2, threshold: 0 }))).rejects.toMatchObject({ code: 'OutOfRange', details: { field: 'layer' } });
    await expect(inspect.select(selectRequestSchema.parse({ ...base, source: { kind: 'text', text: 'the time' }, layer: 0, from: 0, to: 20, threshold: 0 }))).rejects.toMatchObject({ code: 'OutOfRange', details: { field: 'to' } });
    const match = matchRequestSchema.parse({ ...base, jobId: 'm', layer: 0, units: [3, 16], threshold: 0, length: 2 });
    await expect(inspect.match(match, { emit: () => {}, signal: new AbortController().signal })).rejects.toMatchObject({ code: 'OutOfRange', details: { field: 'units', unit: 16 } });
  });
});

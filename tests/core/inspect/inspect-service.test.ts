import { describe, expect, it } from 'vitest';
import { encodeText } from '../../../src/core/services/generation-service';
import { loadRunData } from '../../../src/core/services/run-data';
import { saveCheckpoint } from '../../../src/core/store/checkpoints';
import { logSumExp } from '../../../src/engine/loss';
import { toCheckpointBundle, Trainer, trainerOptionsFromRunConfig } from '../../../src/engine/train';
import { INSPECT_CHUNK_STEPS, inspectRequestSchema } from '../../../src/shared/inspect';
import { inspectAll, joined, maxAbsDiff, reference, service, trained } from './fixtures';

const TEXT = 'the time traveller said and we sat and looked at him. the machine has four dimensions '.repeat(8);

describe('InspectService.inspect', () => {
  it('streams h, c, every gate and top-k in chunks of 256 steps that equal one float64 pass within 1e-5', async () => {
    const p = await trained();
    const { inspect, generation } = service(p.fs);
    const request = inspectRequestSchema.parse({ projectDir: p.dir, runId: p.runId, checkpoint: null, jobId: 'j1', source: { kind: 'text', text: TEXT }, topK: 3 });
    const { header, chunks, outcome } = await inspectAll(inspect, request);
    const loaded = await generation.load(p.dir, p.runId, null);
    const ids = encodeText(TEXT, loaded.vocab, loaded.vocabFile);
    expect(header).toMatchObject({ jobId: 'j1', cell: 'lstm', numLayers: 2, hiddenSize: 16, gates: ['i', 'f', 'g', 'o'], steps: ids.length, separator: '', start: 0 });
    expect(outcome).toEqual({ status: 'done', processed: ids.length });
    expect(chunks.map((c) => c.start)).toEqual(Array.from({ length: Math.ceil(ids.length / INSPECT_CHUNK_STEPS) }, (_, i) => i * INSPECT_CHUNK_STEPS));
    expect(chunks.flatMap((c) => c.tokens)).toEqual(loaded.vocab.decodeTokens(ids));

    const ref = await reference(generation, p.dir, p.runId, ids);
    ref.layers.forEach((layer, l) => {
      expect(maxAbsDiff(joined(chunks, (c) => c.layers[l]!.h.data), layer.h)).toBeLessThan(1e-5);
      expect(maxAbsDiff(joined(chunks, (c) => c.layers[l]!.c!.data), layer.c!)).toBeLessThan(1e-5);
      ['i', 'f', 'g', 'o'].forEach((g, k) => expect(maxAbsDiff(joined(chunks, (c) => c.layers[l]!.gates[g]!.data), layer.gates[k]!)).toBeLessThan(1e-5));
    });
    expect(chunks[0]!.layers[0]!.h).toMatchObject({ rows: INSPECT_CHUNK_STEPS, cols: 16 });

    // top-k: the most probable next tokens after step 5, against the float32 model's own logits
    const ws = loaded.model.createWorkspace(6, 1);
    ws.forward(ids.subarray(0, 6));
    const V = loaded.vocab.size, row = Array.from(ws.logits.subarray(5 * V, 6 * V));
    const lse = logSumExp(row, 0, V);
    const best = row.map((x, j) => ({ j, p: Math.exp(x - lse) })).sort((a, b) => b.p - a.p).slice(0, 3);
    expect(chunks[0]!.top.tokens.slice(15, 18)).toEqual(best.map((b) => loaded.vocab.tokenOf(b.j)));
    expect(maxAbsDiff(chunks[0]!.top.probs.subarray(15, 18), best.map((b) => b.p))).toBeLessThan(1e-5);
  });

  it('reads a slice of the corpus by start and count, and clamps the count at its end', async () => {
    const p = await trained({ cell: 'gru', numLayers: 1 });
    const { inspect } = service(p.fs);
    const data = await loadRunData(p.fs, p.dir, p.runId);
    const all = [...data.train, ...data.val];
    const base = { projectDir: p.dir, runId: p.runId, checkpoint: null, jobId: 'j' };
    const mid = await inspectAll(inspect, inspectRequestSchema.parse({ ...base, source: { kind: 'dataset', start: 100, count: 40 } }));
    expect(mid.header).toMatchObject({ start: 100, steps: 40, gates: ['r', 'z', 'n'] });
    expect(mid.chunks[0]!.tokens).toEqual(data.vocab.decodeTokens(all.slice(100, 140)));
    expect(mid.chunks[0]!.layers[0]!.c).toBeNull();
    const end = await inspectAll(inspect, inspectRequestSchema.parse({ ...base, source: { kind: 'dataset', start: all.length - 5, count: 40 } }));
    expect(end.header!.steps).toBe(5);
    await expect(inspectAll(inspect, inspectRequestSchema.parse({ ...base, source: { kind: 'dataset', start: all.length, count: 4 } }))).rejects.toMatchObject({ code: 'OutOfRange', details: { field: 'start' } });
  });

  it('uses the last checkpoint unless one is named', async () => {
    const p = await trained({ cell: 'rnn', numLayers: 1 });
    const data = await loadRunData(p.fs, p.dir, p.runId);
    const trainer = new Trainer(trainerOptionsFromRunConfig(data.config), { train: data.train, val: data.val, vocabSize: data.vocab.size });
    for (let i = 0; i < 20; i++) trainer.trainStep();
    // a later checkpoint with a worse validation perplexity: "best" would pick the first one
    await saveCheckpoint(p.fs, p.dir, p.runId, toCheckpointBundle(trainer.exportState(), { valPerplexity: 50 }));
    const { inspect } = service(p.fs);
    const base = { projectDir: p.dir, runId: p.runId, jobId: 'j', source: { kind: 'text', text: 'the time' } };
    const last = await inspectAll(inspect, inspectRequestSchema.parse({ ...base, checkpoint: null }));
    expect(last.header!.checkpoint).toBe('step-000000000020.safetensors');
    const named = await inspectAll(inspect, inspectRequestSchema.parse({ ...base, checkpoint: 'step-000000000010.safetensors' }));
    expect(named.header!.checkpoint).toBe('step-000000000010.safetensors');
    expect(named.chunks[0]!.layers[0]!.h.data).not.toEqual(last.chunks[0]!.layers[0]!.h.data);
    expect(last.chunks[0]!.layers[0]!.gates).toEqual({});
  });

  it('refuses an empty text and one longer than the inspector reads, naming the field', async () => {
    const p = await trained({ cell: 'gru', numLayers: 1, tokenizer: 'word', minFreq: 1 });
    const { inspect } = service(p.fs);
    const base = { projectDir: p.dir, runId: p.runId, checkpoint: null, jobId: 'j' };
    await expect(inspectAll(inspect, inspectRequestSchema.parse({ ...base, source: { kind: 'text', text: ' \n ' } }))).rejects.toMatchObject({ code: 'EmptyText' });
    await expect(inspectAll(inspect, inspectRequestSchema.parse({ ...base, source: { kind: 'text', text: 'the '.repeat(20_001) } }))).rejects.toMatchObject({ code: 'TooManyTokens', details: { field: 'text' } });
  });

  it('stops within a chunk once cancelled and says so', async () => {
    const p = await trained({ cell: 'gru', numLayers: 1 });
    const { inspect } = service(p.fs);
    const controller = new AbortController();
    let chunks = 0;
    const outcome = await inspect.inspect(inspectRequestSchema.parse({ projectDir: p.dir, runId: p.runId, checkpoint: null, jobId: 'j', source: { kind: 'dataset', start: 0, count: 2000 } }), {
      emit: (e) => {
        if (e.kind === 'data' && ++chunks === 2) controller.abort();
      },
      signal: controller.signal,
    });
    expect(outcome).toEqual({ status: 'cancelled', processed: 2 * INSPECT_CHUNK_STEPS });
    expect(chunks).toBe(2);
  });
});

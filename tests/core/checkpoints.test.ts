import { describe, expect, it } from 'vitest';
import { SafetensorsError, decodeCheckpoint, encodeCheckpoint, type CheckpointBundle } from '../../src/engine/formats';
import { Rng } from '../../src/engine/rng';
import { createRun } from '../../src/core/store/runs';
import { deleteCheckpoint, listCheckpoints, loadCheckpoint, pruneCheckpoints, saveCheckpoint } from '../../src/core/store/checkpoints';
import { checkpointsToDelete } from '../../src/core/store/checkpoint-retention';
import { checkpointsDir } from '../../src/core/store/layout';
import { PROJECT, codeOf, memoryProject } from './helpers';

function bundle(step: number, valPerplexity?: number): CheckpointBundle {
  const rng = new Rng(step);
  const w = new Float32Array(12).map(() => rng.normal());
  return {
    step,
    valPerplexity,
    created: '2025-01-01T00:00:00.000Z',
    tensors: new Map([
      ['weight_ih_l0', { shape: [4, 3], data: w }],
      ['optim.m.weight_ih_l0', { shape: [4, 3], data: new Float32Array(12).fill(0.5) }],
      ['hidden.h_l0', { shape: [1, 4], data: new Float64Array([0.1, 0.2, 0.3, 0.4]) }],
    ]),
    state: { rng: rng.getState(), iterator: { epoch: 2, position: 17 }, best: Infinity, lastLoss: NaN },
  };
}

describe('checkpoint bundle', () => {
  it('round-trips tensors, the JSON state (with NaN and Infinity) and the summary', () => {
    const b = bundle(42, 3.5);
    const out = decodeCheckpoint(encodeCheckpoint(b));
    expect(out.step).toBe(42);
    expect(out.valPerplexity).toBe(3.5);
    expect(out.state).toEqual(b.state);
    expect(out.tensors.get('weight_ih_l0')!.data).toEqual(b.tensors.get('weight_ih_l0')!.data);
    expect(out.tensors.get('hidden.h_l0')!.dtype).toBe('F64');
  });

  it('is byte-identical when encoded twice', () => {
    expect(encodeCheckpoint(bundle(7))).toEqual(encodeCheckpoint(bundle(7)));
  });

  it('reports a coded error for a checkpoint truncated at every byte offset', () => {
    const bytes = encodeCheckpoint(bundle(3, 9));
    for (let k = 0; k < bytes.length; k++) {
      let error: unknown;
      try {
        decodeCheckpoint(bytes.subarray(0, k));
      } catch (e) {
        error = e;
      }
      expect(error, `prefix of ${k} bytes`).toBeInstanceOf(SafetensorsError);
    }
  });

  it('detects every single-bit flip anywhere in a checkpoint', () => {
    const bytes = encodeCheckpoint(bundle(5, 2));
    const codes = new Set<string>();
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const copy = bytes.slice();
      copy[bit >> 3]! ^= 1 << (bit & 7);
      let error: unknown;
      try {
        decodeCheckpoint(copy);
      } catch (e) {
        error = e;
      }
      expect(error, `bit ${bit}`).toBeInstanceOf(SafetensorsError);
      codes.add((error as SafetensorsError).code);
    }
    expect(codes).toContain('ChecksumMismatch');
  });

  it('refuses a plain safetensors file as a checkpoint', async () => {
    const { encodeSafetensors } = await import('../../src/engine/formats');
    expect(await codeOf(() => decodeCheckpoint(encodeSafetensors([])))).toBe('NotACheckpoint');
  });
});

describe('checkpoints in a run', () => {
  it('saves, lists in step order, loads with expected shapes, and deletes', async () => {
    const fs = await memoryProject();
    const run = await createRun(fs, PROJECT, { config: { model: 'gru' } });
    await saveCheckpoint(fs, PROJECT, run.id, bundle(200, 4));
    await saveCheckpoint(fs, PROJECT, run.id, bundle(100, 5));
    const { checkpoints, problems } = await listCheckpoints(fs, PROJECT, run.id);
    expect(problems).toEqual([]);
    expect(checkpoints.map((c) => [c.name, c.step, c.valPerplexity])).toEqual([
      ['step-000000000100.safetensors', 100, 5],
      ['step-000000000200.safetensors', 200, 4],
    ]);
    const expect_ = new Map([
      ['weight_ih_l0', { shape: [4, 3] }],
      ['optim.m.weight_ih_l0', { shape: [4, 3] }],
      ['hidden.h_l0', { shape: [1, 4] }],
    ]);
    expect((await loadCheckpoint(fs, PROJECT, run.id, checkpoints[0]!.name, expect_)).step).toBe(100);
    expect(await codeOf(loadCheckpoint(fs, PROJECT, run.id, checkpoints[0]!.name, new Map([['weight_ih_l0', { shape: [3, 4] }]])))).toBe('ShapeMismatch');
    await deleteCheckpoint(fs, PROJECT, run.id, checkpoints[0]!.name);
    expect((await listCheckpoints(fs, PROJECT, run.id)).checkpoints).toHaveLength(1);
    expect(await codeOf(loadCheckpoint(fs, PROJECT, run.id, '../run.json'))).toBe('InvalidId');
    expect(await codeOf(loadCheckpoint(fs, PROJECT, run.id, 'step-000000000100.safetensors'))).toBe('NotFound');
  });

  it('lists a damaged checkpoint as a problem and still lists the others', async () => {
    const fs = await memoryProject();
    const run = await createRun(fs, PROJECT, { config: {} });
    await saveCheckpoint(fs, PROJECT, run.id, bundle(1));
    await saveCheckpoint(fs, PROJECT, run.id, bundle(2));
    fs.seedFile(`${checkpointsDir(PROJECT, run.id)}/step-000000000001.safetensors`, new Uint8Array([1, 2, 3]));
    const { checkpoints, problems } = await listCheckpoints(fs, PROJECT, run.id);
    expect(checkpoints.map((c) => c.step)).toEqual([2]);
    expect(problems.map((p) => p.code)).toEqual(['Truncated']);
  });

  it('leaves out a checkpoint the trainer prunes while the list is being read, instead of failing the list', async () => {
    const fs = await memoryProject();
    const run = await createRun(fs, PROJECT, { config: {} });
    await saveCheckpoint(fs, PROJECT, run.id, bundle(1));
    await saveCheckpoint(fs, PROJECT, run.id, bundle(2));
    // the trainer (another thread) deletes step 1 between this reader's stat and its read
    const pruned = `${checkpointsDir(PROJECT, run.id)}/step-000000000001.safetensors`;
    const stat = fs.stat.bind(fs);
    fs.stat = async (path) => {
      const st = await stat(path);
      if (path === pruned && st !== undefined) await fs.unlink(path);
      return st;
    };
    const { checkpoints, problems } = await listCheckpoints(fs, PROJECT, run.id);
    expect(checkpoints.map((c) => c.step)).toEqual([2]);
    expect(problems).toEqual([]);
  });

  it('keeps the last K checkpoints and the best by validation perplexity when pruning', async () => {
    const fs = await memoryProject();
    const run = await createRun(fs, PROJECT, { config: {} });
    const ppl = [9, 3, 2.5, 4, NaN, 6, 7];
    for (const [i, v] of ppl.entries()) await saveCheckpoint(fs, PROJECT, run.id, bundle((i + 1) * 10, v));
    const deleted = await pruneCheckpoints(fs, PROJECT, run.id, { keepLast: 2, keepBest: true });
    expect(deleted.map((n) => Number(n.slice(5, 17)))).toEqual([10, 20, 40, 50]);
    expect((await listCheckpoints(fs, PROJECT, run.id)).checkpoints.map((c) => c.step)).toEqual([30, 60, 70]);
  });

  it('chooses the earliest of equally good checkpoints and ignores missing or non-finite perplexities', () => {
    const entries = [
      { name: 'a', step: 1, valPerplexity: 2 },
      { name: 'b', step: 2, valPerplexity: 2 },
      { name: 'c', step: 3 },
      { name: 'd', step: 4, valPerplexity: Infinity },
    ];
    expect(checkpointsToDelete(entries, { keepLast: 1, keepBest: true })).toEqual(['b', 'c']);
    expect(checkpointsToDelete(entries, { keepLast: 0, keepBest: false })).toEqual(['a', 'b', 'c', 'd']);
  });
});

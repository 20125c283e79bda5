import { describe, expect, it } from 'vitest';
import { defaultRunConfig, presets, runConfigFields, runConfigSchema } from '../../src/shared/run-config';

describe('run config schema', () => {
  it("defaults to d2l's character-model settings", () => {
    const c = defaultRunConfig('ds1');
    expect(c).toMatchObject({ hiddenSize: 256, numSteps: 35, batchSize: 32, optimizer: 'sgd', lr: 1, clip: 1, cell: 'rnn', embeddingDim: 0, tokenizer: 'char' });
  });

  it('names the field and the bound in an out-of-range message', () => {
    const r = runConfigSchema.safeParse({ datasetId: 'd', hiddenSize: 0 });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe('Hidden size must be at least 1.');
    expect(runConfigSchema.safeParse({ datasetId: 'd', numLayers: 1.5 }).error!.issues[0]!.message).toBe('Layers must be a whole number.');
  });

  it('rejects unknown fields and unknown choices', () => {
    expect(runConfigSchema.safeParse({ datasetId: 'd', hidden: 3 }).success).toBe(false);
    expect(runConfigSchema.safeParse({ datasetId: 'd', cell: 'transformer' }).success).toBe(false);
    expect(runConfigSchema.safeParse({ datasetId: 'd', lr: Number.NaN }).success).toBe(false);
  });

  it('accepts every preset, and every default lies within its own range', () => {
    for (const p of presets) expect(runConfigSchema.safeParse({ datasetId: 'd', ...p.values }).success, p.id).toBe(true);
    for (const [k, f] of Object.entries(runConfigFields)) {
      if (f.kind !== 'choice') expect(f.default >= f.min && f.default <= f.max, k).toBe(true);
      else expect(f.options).toContain(f.default);
    }
  });
});

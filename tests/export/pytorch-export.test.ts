import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPytorchExport, exportableFromModel } from '../../src/engine/export';
import { engineLogits, label, LETTERS, maxAbsDiff, smallModel, VARIANTS } from './helpers';
import { torchLogits, type TorchResult } from './torch-runner';

const PREFIX = [5, 9, 1, 12, 3, 3, 20, 0, 7, 2, 14, 1, 26, 27];

describe('PyTorch export loaded by real PyTorch', () => {
  const models = VARIANTS.map((v) => smallModel(v, 11));
  let results: TorchResult[];

  beforeAll(() => {
    const root = mkdtempSync(join(tmpdir(), 'rnnlab-pt-export-'));
    const jobs = models.map((model, i) => {
      const dir = join(root, String(i));
      mkdirSync(dir);
      const out = buildPytorchExport(exportableFromModel(model, { tokens: LETTERS, tokenizer: 'char', cleaning: 'letters' }));
      writeFileSync(join(dir, 'model.safetensors'), out.weights);
      writeFileSync(join(dir, 'config.json'), out.config);
      writeFileSync(join(dir, 'vocab.json'), out.vocab);
      return { dir, ids: PREFIX };
    });
    results = torchLogits(jobs);
  }, 120_000);

  VARIANTS.forEach((v, i) => {
    it(`loads with load_state_dict(strict=True) and gives the engine's logits and final state within 1e-5 (${label(v)})`, () => {
      const model = models[i]!;
      expect(maxAbsDiff(results[i]!.logits, engineLogits(model, PREFIX))).toBeLessThan(1e-5);
      const state = model.createState(1);
      model.createWorkspace(PREFIX.length, 1).forward(Int32Array.from(PREFIX), { final: state });
      expect(maxAbsDiff(results[i]!.hn, state.h)).toBeLessThan(1e-5);
      if (v.cell === 'lstm') expect(maxAbsDiff(results[i]!.cn!, state.c!)).toBeLessThan(1e-5);
    });
  });
});

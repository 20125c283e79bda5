import { describe, expect, it } from 'vitest';
import { buildStandaloneHtml, exportableFromModel } from '../../src/engine/export';
import { RnnModel } from '../../src/engine/model';
import { Rng } from '../../src/engine/rng';
import { modelConfigOf, trainerOptionsFromRunConfig } from '../../src/engine/train';
import { presets, runConfigSchema } from '../../src/shared/run-config';
import { LETTERS } from './helpers';

/** Ten megabytes: under every common mail attachment limit. */
const EMAILABLE = 10 * 1024 * 1024;

describe('standalone HTML size for the d2l presets (28 characters)', () => {
  for (const preset of presets) {
    it(`stays small enough to email (${preset.label})`, () => {
      const config = modelConfigOf(trainerOptionsFromRunConfig(runConfigSchema.parse({ ...preset.values, datasetId: 'x' })), LETTERS.length);
      const model = new RnnModel(config, { dtype: Float32Array, rng: new Rng(1) });
      const html = buildStandaloneHtml(exportableFromModel(model, { tokens: LETTERS, tokenizer: 'char', cleaning: 'letters' }));
      const bytes = Buffer.byteLength(html);
      // base64 float32: 16/3 bytes per parameter plus about 10 kB of page
      expect(bytes).toBeLessThan(model.parameterCount() * (16 / 3) + 16_000);
      expect(bytes).toBeLessThan(EMAILABLE);
      console.log(`${preset.label}: ${model.parameterCount().toLocaleString('en-US')} parameters, ${(bytes / 1e6).toFixed(2)} MB`);
    });
  }
});

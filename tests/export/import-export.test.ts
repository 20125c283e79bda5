import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportRun, importWeights } from '../../src/core/export';
import { GenerationService } from '../../src/core/services/generation-service';
import { readRunVocab } from '../../src/core/services/run-vocab';
import { listCheckpoints } from '../../src/core/store/checkpoints';
import { listRuns, readRun } from '../../src/core/store/runs';
import { decodeSafetensors, encodeSafetensors } from '../../src/engine/formats';
import { generateResultSchema, scoreResultSchema } from '../../src/shared/runs';
import { engineLogits, maxAbsDiff } from './helpers';
import { trainedProject } from './project-fixture';
import { python } from './torch-runner';

interface Reference { prompt: string; ids: number[]; logits: number[]; greedy: number[] }

const TORCH_MODELS = ['lstm-2x16-embedding', 'gru-1x16-onehot', 'rnn-2x12-relu'];

describe('weights trained by PyTorch, imported as a run', () => {
  let torchDir: string;
  let project: Awaited<ReturnType<typeof trainedProject>>;
  beforeAll(async () => {
    torchDir = mkdtempSync(join(tmpdir(), 'rnnlab-torch-trained-'));
    python('train_tiny.py', [torchDir]);
    project = await trainedProject();
  }, 120_000);

  const files = (name: string) => ({ weightsPath: join(torchDir, name, 'model.safetensors'), configPath: join(torchDir, name, 'config.json'), vocabPath: join(torchDir, name, 'vocab.json') });
  const reference = (name: string) => JSON.parse(readFileSync(join(torchDir, name, 'reference.json'), 'utf8')) as Reference;

  for (const name of TORCH_MODELS) {
    it(`becomes a finished run with one checkpoint that gives PyTorch's logits and greedy text (${name})`, async () => {
      const { fs, dir } = project;
      const run = await importWeights(fs, { projectDir: dir, ...files(name) });
      expect(run.state).toBe('done');
      expect(run.name).toBe(`Imported ${name}`);
      expect((await listCheckpoints(fs, dir, run.id)).checkpoints.map((c) => c.step)).toEqual([0]);
      expect((await readRunVocab(fs, dir, run.id))!.vocab.tokens).toEqual(JSON.parse(readFileSync(files(name).vocabPath, 'utf8')).tokens);

      const ref = reference(name);
      const gen = new GenerationService(fs);
      const loaded = await gen.load(dir, run.id, null);
      expect(maxAbsDiff(engineLogits(loaded.model, ref.ids), ref.logits)).toBeLessThan(1e-5);

      const greedy = generateResultSchema.parse(await gen.generate({ projectDir: dir, runId: run.id, checkpoint: null, prefix: ref.prompt, length: ref.greedy.length, decoding: { mode: 'greedy' }, seed: 0 }));
      expect(greedy.prefix).toBe(ref.prompt);
      expect(greedy.tokens).toEqual(ref.greedy.map((id) => loaded.vocab.tokenOf(id)));
      const score = scoreResultSchema.parse(await gen.score({ projectDir: dir, runId: run.id, checkpoint: null, text: 'the time traveller' }));
      expect(score.perplexity).toBeGreaterThan(1);
    });
  }

  it('exports an imported run back to the very bytes of a re-export (safetensors, config.json, vocab.json and JSON)', async () => {
    const { fs, dir } = project;
    const a = await importWeights(fs, { projectDir: dir, ...files('lstm-2x16-embedding'), name: 'first' });
    const out = mkdtempSync(join(tmpdir(), 'rnnlab-roundtrip-'));
    const first = await exportRun(fs, { projectDir: dir, runId: a.id, checkpoint: null, format: 'safetensors', out: join(out, 'one') });
    expect(first.files.map((f) => f.path)).toEqual([join(out, 'one/model.safetensors'), join(out, 'one/config.json'), join(out, 'one/vocab.json')]);
    const b = await importWeights(fs, { projectDir: dir, weightsPath: join(out, 'one/model.safetensors'), configPath: join(out, 'one/config.json'), vocabPath: join(out, 'one/vocab.json') });
    await exportRun(fs, { projectDir: dir, runId: b.id, checkpoint: null, format: 'safetensors', out: join(out, 'two') });
    for (const f of ['model.safetensors', 'config.json', 'vocab.json']) expect(readFileSync(join(out, 'two', f))).toEqual(readFileSync(join(out, 'one', f)));

    await exportRun(fs, { projectDir: dir, runId: a.id, checkpoint: null, format: 'json', out: join(out, 'one.json') });
    const c = await importWeights(fs, { projectDir: dir, jsonPath: join(out, 'one.json') });
    await exportRun(fs, { projectDir: dir, runId: c.id, checkpoint: null, format: 'json', out: join(out, 'two.json') });
    expect(readFileSync(join(out, 'two.json'), 'utf8')).toBe(readFileSync(join(out, 'one.json'), 'utf8'));
  });

  it('round-trips a run trained here through safetensors and JSON byte for byte', async () => {
    const { fs, dir, runId } = project;
    const out = mkdtempSync(join(tmpdir(), 'rnnlab-roundtrip-'));
    await exportRun(fs, { projectDir: dir, runId, checkpoint: null, format: 'safetensors', out: join(out, 'a.safetensors') });
    const b = await importWeights(fs, { projectDir: dir, weightsPath: join(out, 'a.safetensors'), configPath: join(out, 'a.config.json'), vocabPath: join(out, 'a.vocab.json') });
    await exportRun(fs, { projectDir: dir, runId: b.id, checkpoint: null, format: 'safetensors', out: join(out, 'b') });
    expect(readFileSync(join(out, 'b/model.safetensors'))).toEqual(readFileSync(join(out, 'a.safetensors')));

    await exportRun(fs, { projectDir: dir, runId, checkpoint: null, format: 'json', out: join(out, 'a.json') });
    const c = await importWeights(fs, { projectDir: dir, jsonPath: join(out, 'a.json') });
    await exportRun(fs, { projectDir: dir, runId: c.id, checkpoint: null, format: 'json', out: join(out, 'c.json') });
    expect(readFileSync(join(out, 'c.json'), 'utf8')).toBe(readFileSync(join(out, 'a.json'), 'utf8'));

    // and the imported runs generate exactly what the original does
    const gen = new GenerationService(fs);
    const request = { projectDir: dir, checkpoint: null, prefix: 'the time', length: 40, decoding: { mode: 'greedy' as const }, seed: 0 };
    const original = await gen.generate({ ...request, runId });
    expect(await gen.generate({ ...request, runId: b.id })).toEqual(original);
    expect(await gen.generate({ ...request, runId: c.id })).toEqual(original);
  });

  describe('refuses mismatched weights with a code naming the tensor, and creates no run', () => {
    const tamper = (edit: (tensors: Map<string, { shape: number[]; data: Float32Array }>) => void) => {
      const src = files('gru-1x16-onehot');
      const decoded = decodeSafetensors(new Uint8Array(readFileSync(src.weightsPath)));
      const tensors = new Map([...decoded.tensors].map(([n, t]) => [n, { shape: t.shape, data: t.data as Float32Array }]));
      edit(tensors);
      const path = join(mkdtempSync(join(tmpdir(), 'rnnlab-tamper-')), 'model.safetensors');
      writeFileSync(path, encodeSafetensors(tensors, {}, { checksum: false }));
      return { ...src, weightsPath: path };
    };
    const cases: Array<[string, (t: Map<string, { shape: number[]; data: Float32Array }>) => void, string, string]> = [
      ['a renamed tensor', (t) => { t.set('gru.weight_hh_l0', t.get('rnn.weight_hh_l0')!); t.delete('rnn.weight_hh_l0'); }, 'UnexpectedTensor', 'gru.weight_hh_l0'],
      ['a missing tensor', (t) => t.delete('output.bias'), 'MissingTensor', 'output.bias'],
      ['a tensor of another shape', (t) => t.set('rnn.bias_ih_l0', { shape: [47], data: new Float32Array(47) }), 'ShapeMismatch', 'rnn.bias_ih_l0'],
    ];
    for (const [what, edit, code, name] of cases) {
      it(what, async () => {
        const { fs, dir } = project;
        const before = (await listRuns(fs, dir)).runs.length;
        const error = await importWeights(fs, { projectDir: dir, ...tamper(edit) }).catch((e: unknown) => e as { code: string; details: { name: string }; message: string });
        expect(error).toMatchObject({ code, details: { name } });
        expect((error as Error).message).toContain(name);
        expect((await listRuns(fs, dir)).runs).toHaveLength(before);
      });
    }

    it('a config.json that does not describe the weights', async () => {
      const { fs, dir } = project;
      const src = files('gru-1x16-onehot');
      const config = JSON.parse(readFileSync(src.configPath, 'utf8'));
      const path = join(mkdtempSync(join(tmpdir(), 'rnnlab-tamper-')), 'config.json');
      writeFileSync(path, JSON.stringify({ ...config, hidden_size: 17 }));
      await expect(importWeights(fs, { projectDir: dir, ...src, configPath: path })).rejects.toMatchObject({ code: 'ShapeMismatch', details: { name: 'rnn.weight_ih_l0' } });
      writeFileSync(path, JSON.stringify({ ...config, cell: 'transformer' }));
      await expect(importWeights(fs, { projectDir: dir, ...src, configPath: path })).rejects.toMatchObject({ code: 'InvalidConfig', details: { field: 'cell' } });
    });
  });

  it('imported runs list as done and keep the message of where they came from', async () => {
    const { fs, dir } = project;
    const run = await importWeights(fs, { projectDir: dir, ...files('rnn-2x12-relu'), name: 'From PyTorch' });
    expect(await readRun(fs, dir, run.id)).toMatchObject({ name: 'From PyTorch', state: 'done', message: 'Imported from model.safetensors.' });
  });
});

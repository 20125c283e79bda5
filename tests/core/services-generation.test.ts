import { describe, expect, it } from 'vitest';
import { importDataset } from '../../src/core/datasets';
import { GenerationService } from '../../src/core/services/generation-service';
import { loadRunData } from '../../src/core/services/run-data';
import { RunsService } from '../../src/core/services/runs-service';
import { saveCheckpoint } from '../../src/core/store/checkpoints';
import { generate, scoreTokens } from '../../src/engine/decode';
import { detectWasmFeatures } from '../../src/engine/kernels/wasm';
import { RnnModel } from '../../src/engine/model/rnn-model';
import { Rng } from '../../src/engine/rng';
import { cleanText, tokenize } from '../../src/engine/text';
import { toCheckpointBundle, Trainer, trainerOptionsFromRunConfig } from '../../src/engine/train';
import { generateResultSchema, scoreResultSchema } from '../../src/shared/runs';
import { PROJECT, codeOf, memoryProject } from './helpers';

const TEXT = 'the time traveller for so it will be convenient to speak of him was expounding a recondite matter to us. '.repeat(20);

/** A project with a run trained for a few minibatches, checkpointed at two steps (the first one best). */
async function trainedRun(over: Record<string, unknown> = {}) {
  const fs = await memoryProject();
  fs.seedFile('/in/tm.txt', TEXT);
  const dataset = await importDataset(fs, PROJECT, '/in/tm.txt');
  const runs = new RunsService({ fs });
  const { id } = await runs.create(PROJECT, { datasetId: dataset.id, hiddenSize: 12, batchSize: 4, numSteps: 8, lr: 1, seed: 3, ...over });
  const data = await loadRunData(fs, PROJECT, id);
  const trainer = new Trainer(trainerOptionsFromRunConfig(data.config), { train: data.train, val: data.val, vocabSize: data.vocab.size });
  for (let i = 0; i < 4; i++) trainer.trainStep();
  const early = trainer.exportState();
  await saveCheckpoint(fs, PROJECT, id, toCheckpointBundle(early, { valPerplexity: 10 }));
  for (let i = 0; i < 4; i++) trainer.trainStep();
  await saveCheckpoint(fs, PROJECT, id, toCheckpointBundle(trainer.exportState(), { valPerplexity: 12 }));
  return { fs, id, data, trainer, early, runs };
}

/** The engine model holding exactly the weights of a training state. */
function modelOf(trainer: Trainer, state: ReturnType<Trainer['exportState']>): RnnModel {
  const model = new RnnModel(trainer.model.config, { dtype: Float32Array });
  model.loadParameters(new Map([...state.tensors].filter(([name]) => trainer.model.params.has(name))));
  return model;
}

describe('generation service', () => {
  it('never generates <unk> when asked to exclude it, even from a model that favours it', async () => {
    // min_freq 150 leaves only the commonest characters: <unk> covers much of the text
    const { fs, id, data } = await trainedRun({ minFreq: 150 });
    const unkShare = Array.from(data.train).filter((t) => t === 0).length / data.train.length;
    expect(unkShare).toBeGreaterThan(0.2);
    const gen = new GenerationService(fs);
    const request = { projectDir: PROJECT, runId: id, checkpoint: null, prefix: 'the time', length: 300, decoding: { mode: 'sample' as const, temperature: 1.5, topK: 0, topP: 1 }, seed: 5 };
    expect((await gen.generate(request)).tokens).toContain('<unk>');
    const without = await gen.generate({ ...request, excludeUnk: true });
    expect(without.tokens).toHaveLength(300);
    expect(without.tokens).not.toContain('<unk>');
    const greedy = await gen.generate({ ...request, decoding: { mode: 'greedy' }, excludeUnk: true });
    expect(greedy.tokens).not.toContain('<unk>');
  });

  it('generates deterministically for a seed, from the best checkpoint when none is named', async () => {
    const { fs, id, data, trainer, early } = await trainedRun();
    const gen = new GenerationService(fs, 3, 'ts'); // the engine reference below runs on the TypeScript kernels
    const request = { projectDir: PROJECT, runId: id, checkpoint: null, prefix: 'The Time!', length: 30, decoding: { mode: 'sample' as const, temperature: 0.8, topK: 0, topP: 0.95 }, seed: 11 };
    const a = generateResultSchema.parse(await gen.generate(request));
    const b = await new GenerationService(fs, 3, 'ts').generate(request);
    expect(b).toEqual(a);
    expect(a.prefix).toBe('the time ');
    expect(a.separator).toBe('');
    expect(a.tokens).toHaveLength(30);
    expect(await gen.generate({ ...request, seed: 12 })).not.toEqual(a);

    // the same numbers as the engine on the best (first) checkpoint's weights
    const prefixIds = data.vocab.encode(tokenize(cleanText('The Time!', 'letters'), 'char'));
    const ref = generate(modelOf(trainer, early), prefixIds, 30, { temperature: 0.8, topK: 0, topP: 0.95 }, new Rng(11));
    expect(a.tokens).toEqual(data.vocab.decodeTokens(ref.ids));
    expect(a.probabilities).toEqual(ref.probs);
  });

  it('runs loaded models on WebAssembly kernels where the runtime has SIMD, within float32 rounding of the TypeScript reference', async () => {
    const { fs, id } = await trainedRun();
    const request = { projectDir: PROJECT, runId: id, checkpoint: null, prefix: 'the time', length: 40, decoding: { mode: 'greedy' as const }, seed: 0 };
    const fast = new GenerationService(fs);
    const loaded = await fast.load(PROJECT, id, null);
    expect(detectWasmFeatures().simd).toBe(true); // Node 20+ and Electron have it
    expect(loaded.model.kernels.name).toMatch(/^wasm/);
    const reference = await new GenerationService(fs, 3, 'ts').generate(request);
    const out = await fast.generate(request);
    expect(out.tokens).toEqual(reference.tokens);
    out.probabilities.forEach((p, i) => expect(p).toBeCloseTo(reference.probabilities[i]!, 6));
  });

  it('greedy decoding equals sampling with top-k 1', async () => {
    const { fs, id } = await trainedRun();
    const gen = new GenerationService(fs);
    const base = { projectDir: PROJECT, runId: id, checkpoint: 'step-000000000008.safetensors', prefix: 'time traveller', length: 40, seed: 5 };
    const greedy = await gen.generate({ ...base, decoding: { mode: 'greedy' } });
    const topOne = await gen.generate({ ...base, decoding: { mode: 'sample', temperature: 1.3, topK: 1, topP: 1 } });
    expect(topOne.tokens).toEqual(greedy.tokens);
    expect(topOne.probabilities).toEqual(greedy.probabilities);
  });

  it('scores text as the engine scoreTokens does, from a zero state', async () => {
    const { fs, id, data, trainer } = await trainedRun();
    const gen = new GenerationService(fs, 3, 'ts');
    const text = 'The Time Traveller was expounding';
    const result = scoreResultSchema.parse(await gen.score({ projectDir: PROJECT, runId: id, checkpoint: 'step-000000000008.safetensors', text }));
    const ids = data.vocab.encode(tokenize(cleanText(text, 'letters'), 'char'));
    const ref = scoreTokens(modelOf(trainer, trainer.exportState()), ids);
    expect(result.tokens).toEqual(data.vocab.decodeTokens(ids));
    expect(result.logprobs).toEqual(Array.from(ref.logprobs));
    expect(result.perplexity).toBe(ref.perplexity);
    expect(result.perplexity).toBeCloseTo(Math.exp(-result.logprobs.reduce((s, x) => s + x, 0) / result.logprobs.length), 12);
  });

  it('maps words the vocabulary lacks to <unk> and joins word tokens with a space', async () => {
    const { fs, id } = await trainedRun({ tokenizer: 'word', clean: 'none', numSteps: 4, batchSize: 2 });
    const gen = new GenerationService(fs);
    const out = await gen.generate({ projectDir: PROJECT, runId: id, checkpoint: null, prefix: 'the   zebra time', length: 5, decoding: { mode: 'greedy' }, seed: 0 });
    expect(out.prefix).toBe('the <unk> time');
    expect(out.separator).toBe(' ');
    const scored = await gen.score({ projectDir: PROJECT, runId: id, checkpoint: null, text: 'zebra the time' });
    expect(scored.tokens).toEqual(['<unk>', 'the', 'time']);
    expect(scored.logprobs).toHaveLength(2);
  });

  it('answers with codes: no checkpoint yet, unknown checkpoint, empty text after cleaning, one token only', async () => {
    const { fs, id, runs } = await trainedRun();
    const gen = new GenerationService(fs);
    const ask = (over: Record<string, unknown>) => gen.generate({ projectDir: PROJECT, runId: id, checkpoint: null, prefix: 'the', length: 3, decoding: { mode: 'greedy' }, seed: 0, ...over });
    expect(await codeOf(ask({ prefix: '1234 !!' }))).toBe('ok'); // cleaned to one space, which is a token
    expect(await codeOf(ask({ prefix: '' }))).toBe('EmptyText');
    expect(await codeOf(ask({ checkpoint: 'step-000000000099.safetensors' }))).toBe('CheckpointNotFound');
    expect(await codeOf(gen.score({ projectDir: PROJECT, runId: id, checkpoint: null, text: 'a' }))).toBe('TextTooShort');

    const { id: fresh } = await runs.create(PROJECT, { datasetId: (await runs.get(PROJECT, id)).config.datasetId, hiddenSize: 8, batchSize: 2, numSteps: 4 });
    expect(await codeOf(gen.generate({ projectDir: PROJECT, runId: fresh, checkpoint: null, prefix: 'the', length: 3, decoding: { mode: 'greedy' }, seed: 0 }))).toBe('NoCheckpoint');
  });

  it('names a damaged checkpoint and the others to choose instead, and generates from one of them', async () => {
    const { fs, id } = await trainedRun();
    const best = `${PROJECT}/runs/${id}/checkpoints/step-000000000004.safetensors`;
    const bytes = await fs.readFile(best);
    bytes[bytes.length - 5]! ^= 0xff; // a flipped bit in the weights
    fs.seedFile(best, bytes);
    const gen = new GenerationService(fs);
    const request = { projectDir: PROJECT, runId: id, checkpoint: null, prefix: 'the', length: 5, decoding: { mode: 'greedy' as const }, seed: 0 };
    await expect(gen.generate(request)).rejects.toMatchObject({
      code: 'CorruptCheckpoint',
      message: expect.stringMatching(/^Checkpoint step-000000000004\.safetensors is damaged \(.+\)\. Choose another checkpoint of the run: step-000000000008\.safetensors \(update 8\)\.$/),
    });
    expect((await gen.generate({ ...request, checkpoint: 'step-000000000008.safetensors' })).tokens).toHaveLength(5);
  });

  it('falls back to the latest checkpoint when none has a validation perplexity', async () => {
    const fs = await memoryProject();
    fs.seedFile('/in/tm.txt', TEXT);
    const dataset = await importDataset(fs, PROJECT, '/in/tm.txt');
    const { id } = await new RunsService({ fs }).create(PROJECT, { datasetId: dataset.id, hiddenSize: 6, batchSize: 2, numSteps: 4 });
    const data = await loadRunData(fs, PROJECT, id);
    const trainer = new Trainer(trainerOptionsFromRunConfig(data.config), { train: data.train, val: data.val, vocabSize: data.vocab.size });
    trainer.trainStep();
    await saveCheckpoint(fs, PROJECT, id, toCheckpointBundle(trainer.exportState()));
    trainer.trainStep();
    await saveCheckpoint(fs, PROJECT, id, toCheckpointBundle(trainer.exportState()));
    const gen = new GenerationService(fs);
    expect((await gen.load(PROJECT, id, null)).checkpoint.step).toBe(2);
  });
});

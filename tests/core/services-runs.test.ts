import { describe, expect, it } from 'vitest';
import { importDataset } from '../../src/core/datasets';
import { loadRunData, prepareRunData, parseRunConfig } from '../../src/core/services/run-data';
import { readRunVocab } from '../../src/core/services/run-vocab';
import { RunsService, type LiveRuns } from '../../src/core/services/runs-service';
import { saveCheckpoint } from '../../src/core/store/checkpoints';
import { writeJsonAtomic } from '../../src/core/store/json-file';
import { METRICS_LOG, SAMPLES_LOG, runFile } from '../../src/core/store/layout';
import { LogWriter } from '../../src/core/store/record-log';
import { listRuns, readRun, recordBestValPerplexity, setRunState } from '../../src/core/store/runs';
import { buildCorpus, countTokens, unigramPerplexity, Vocab } from '../../src/engine/text';
import { runDetailSchema, runSummaryDtoSchema } from '../../src/shared/runs';
import { PROJECT, codeOf, memoryProject } from './helpers';

const TEXT = 'The Time Machine, by H. G. Wells [1898]\n\nI\n\nThe Time Traveller (for so it will be convenient to speak of him) was expounding a recondite matter to us. '.repeat(12);

async function projectWithText(text = TEXT) {
  const fs = await memoryProject();
  fs.seedFile('/in/tm.txt', text);
  const dataset = await importDataset(fs, PROJECT, '/in/tm.txt');
  return { fs, dataset };
}

const tiny = { hiddenSize: 8, batchSize: 2, numSteps: 5 };

describe('default sample prefix', () => {
  it('is the corpus opening as the run cleans and tokenizes it, and a prefix the user gave is kept', async () => {
    const { fs, dataset } = await projectWithText('Der Zeitreisende (denn so will ich ihn nennen) erklärte uns eine schwierige Sache. '.repeat(30));
    const runs = new RunsService({ fs });
    const configOf = async (over: Record<string, unknown>) => parseRunConfig((await runs.get(PROJECT, (await runs.create(PROJECT, { datasetId: dataset.id, ...tiny, ...over })).id)).config);
    expect((await configOf({})).samplePrefix).toBe('der zeitreisende');
    expect((await configOf({ clean: 'none' })).samplePrefix).toBe('Der Zeitreisende');
    expect((await configOf({ tokenizer: 'word' })).samplePrefix).toBe('der zeitreisende denn');
    expect((await configOf({ samplePrefix: 'so will' })).samplePrefix).toBe('so will');
  });

  it('comes from the first training tokens for a dataset imported before its opening was recorded', async () => {
    const { fs, dataset } = await projectWithText();
    const path = `${PROJECT}/datasets/${dataset.id}/dataset.json`;
    const record = JSON.parse(new TextDecoder().decode(await fs.readFile(path))) as { stats: Record<string, unknown> };
    delete record.stats.opening;
    await writeJsonAtomic(fs, path, record);
    const runs = new RunsService({ fs });
    const run = await runs.create(PROJECT, { datasetId: dataset.id, ...tiny });
    expect((await runs.get(PROJECT, run.id)).config.samplePrefix).toBe('the time machine');
  });
});

describe('run data', () => {
  it('prepares the vocabulary and splits exactly as the engine buildCorpus does (maxTokens 0 = all)', async () => {
    const { fs, dataset } = await projectWithText();
    for (const over of [{}, { tokenizer: 'word' as const, clean: 'none' as const, minFreq: 2 }, { maxTokens: 300, valFraction: 0.2 }]) {
      const config = parseRunConfig({ datasetId: dataset.id, ...over });
      const data = await prepareRunData(fs, PROJECT, config);
      const ref = buildCorpus(TEXT, { tokenizer: config.tokenizer, cleaning: config.clean, minFreq: config.minFreq, maxTokens: config.maxTokens || undefined, valFraction: config.valFraction });
      expect(data.vocab.tokens).toEqual(ref.vocab.tokens);
      expect(data.train).toEqual(ref.train);
      expect(data.val).toEqual(ref.val);
      expect(data.baselines.uniform).toBe(ref.vocab.size);
      expect(data.baselines.unigram).toBeCloseTo(unigramPerplexity(countTokens(Array.from(ref.train, String))), 12);
    }
  });
  it('loads a run with a token limit by reading only the start of a large dataset', async () => {
    const big = TEXT.repeat(Math.ceil((3 << 20) / TEXT.length));
    const { fs, dataset } = await projectWithText(big);
    const runs = new RunsService({ fs });
    const { id } = await runs.create(PROJECT, { datasetId: dataset.id, ...tiny, maxTokens: 500 });
    let bytesRead = 0;
    const openRead = fs.openRead.bind(fs);
    fs.openRead = async (path: string) => {
      const handle = await openRead(path);
      return Object.assign(Object.create(handle) as typeof handle, {
        read: async (buffer: Uint8Array, position: number) => {
          const n = await handle.read(buffer, position);
          bytesRead += n;
          return n;
        },
      });
    };
    const loaded = await loadRunData(fs, PROJECT, id);
    const ref = buildCorpus(big, { tokenizer: 'char', cleaning: 'letters', minFreq: 1, maxTokens: 500, valFraction: 0.1 });
    expect(loaded.train).toEqual(ref.train);
    expect(loaded.val).toEqual(ref.val);
    expect(loaded.totalTokens).toBe(ref.totalTokens);
    expect(bytesRead).toBeLessThan(big.length / 2);
  });
});

describe('runs service', () => {
  it('creates a queued run and writes vocab.json with the vocabulary and its settings', async () => {
    const { fs, dataset } = await projectWithText();
    const runs = new RunsService({ fs });
    const summary = await runs.create(PROJECT, { datasetId: dataset.id, name: 'char rnn', ...tiny, tokenizer: 'char', clean: 'letters' });
    expect(runSummaryDtoSchema.parse(summary)).toMatchObject({ name: 'char rnn', state: 'queued', progress: null, bestValPerplexity: null });
    const raw = JSON.parse(new TextDecoder().decode(await fs.readFile(runFile(PROJECT, summary.id, 'vocab.json'))));
    const ref = buildCorpus(TEXT, { tokenizer: 'char', cleaning: 'letters', minFreq: 1, valFraction: 0.1 });
    expect(raw).toMatchObject({ format: 'rnnlab.vocab', version: 1, tokenizer: 'char', cleaning: 'letters', separator: '', minFreq: 1, maxTokens: 0, valFraction: 0.1 });
    expect(raw.dataset).toEqual({ id: dataset.id, sha256: dataset.source.sha256 });
    expect(raw.corpus).toEqual({ totalTokens: ref.totalTokens, trainTokens: ref.train.length, valTokens: ref.val.length });
    expect(Vocab.fromJSON(raw).tokens).toEqual(ref.vocab.tokens);

    const loaded = await loadRunData(fs, PROJECT, summary.id);
    expect(loaded.vocab.tokens).toEqual(ref.vocab.tokens);
    expect(loaded.train).toEqual(ref.train);
    expect(loaded.val).toEqual(ref.val);
    expect(loaded.config).toMatchObject({ name: 'char rnn', hiddenSize: 8 });
  });

  it('refuses a CSV dataset, a missing dataset, an invalid config and a corpus too short for one minibatch', async () => {
    const { fs, dataset } = await projectWithText();
    fs.seedFile('/in/s.csv', 't,v\n1,2\n2,3\n');
    const csv = await importDataset(fs, PROJECT, '/in/s.csv');
    const runs = new RunsService({ fs });
    const refusal = await runs.create(PROJECT, { datasetId: csv.id }).catch((e: unknown) => e as { code: string; message: string });
    expect(refusal).toMatchObject({ code: 'UnsupportedDataset', message: expect.stringMatching(/text/) });
    expect(await codeOf(runs.create(PROJECT, { datasetId: 'ds-missing' }))).toBe('DatasetNotFound');
    expect(await codeOf(runs.create(PROJECT, { datasetId: dataset.id, hiddenSize: 0 }))).toBe('InvalidConfig');
    expect(await codeOf(runs.create(PROJECT, { datasetId: dataset.id, batchSize: 64, numSteps: 200 }))).toBe('CorpusTooSmall');
    expect((await listRuns(fs, PROJECT)).runs).toEqual([]);
  });

  it('reads metrics, samples, checkpoints (best flagged), divergence, baselines and kernels written through the store', async () => {
    const { fs, dataset } = await projectWithText();
    const live: LiveRuns = { status: (_dir, id) => (id === 'never' ? null : { progress: { epoch: 1.5, totalEpochs: 10, step: 7, elapsedSec: 3, etaSec: 17 } }) };
    const runs = new RunsService({ fs, live });
    const { id } = await runs.create(PROJECT, { datasetId: dataset.id, ...tiny });
    const metrics = await LogWriter.open(fs, runFile(PROJECT, id, METRICS_LOG));
    await metrics.append([
      { kind: 'train', step: 5, epoch: 1, time: 0.5, loss: 2.5, perplexity: 12.2, gradNorm: 0.9, lr: 1, tokensPerSec: 1000 },
      { kind: 'val', step: 5, epoch: 1, time: 0.6, loss: 2.4, perplexity: 11 },
      { kind: 'val', step: 10, epoch: 2, time: 1.2, loss: 2.2, perplexity: 9 },
      { kind: 'train', step: 11, epoch: 2.1, time: 1.3, loss: Infinity, perplexity: NaN },
      { nonsense: true },
    ]);
    await metrics.close();
    const samples = await LogWriter.open(fs, runFile(PROJECT, id, SAMPLES_LOG));
    await samples.append([{ step: 10, epoch: 2, prefix: 'time traveller', text: ' the the' }]);
    await samples.close();
    const tensor = { shape: [2], data: new Float32Array([1, 2]) };
    for (const [step, valPerplexity] of [[5, 11], [10, 9.5], [15, undefined]] as const) {
      await saveCheckpoint(fs, PROJECT, id, { step, tensors: new Map([['w', tensor]]), state: null, ...(valPerplexity !== undefined && { valPerplexity }) });
    }
    await writeJsonAtomic(fs, runFile(PROJECT, id, 'divergence.json'), {
      cause: 'gradient', parameter: null, hidden: null, gradient: { name: 'rnn.weight_hh_l0', index: 3, value: NaN }, message: 'Training diverged at update 11.',
    });
    const runJson = JSON.parse(new TextDecoder().decode(await fs.readFile(runFile(PROJECT, id, 'run.json'))));
    await writeJsonAtomic(fs, runFile(PROJECT, id, 'run.json'), { ...runJson, kernels: 'wasm-simd' });

    const detail = runDetailSchema.parse(await runs.get(PROJECT, id));
    expect(detail.metrics).toHaveLength(4);
    expect(detail.metrics[3]).toMatchObject({ loss: null, perplexity: null });
    expect(detail.samples).toEqual([{ step: 10, epoch: 2, prefix: 'time traveller', text: ' the the' }]);
    expect(detail.checkpoints.map((c) => [c.step, c.epoch, c.valPerplexity, c.best])).toEqual([[5, 1, 11, false], [10, 2, 9.5, true], [15, null, null, false]]);
    expect(detail.divergence).toEqual({ where: 'gradient', parameter: 'rnn.weight_hh_l0', timeStep: null, message: 'Training diverged at update 11.' });
    const vocab = (await readRunVocab(fs, PROJECT, id))!;
    expect(detail.baselines).toEqual(vocab.file.baselines);
    expect(detail.baselines!.uniform).toBe(vocab.vocab.size);
    expect(detail.kernels).toBe('wasm-simd');
    expect(detail.run).toMatchObject({ bestValPerplexity: 9, progress: { step: 7 } });
    expect(detail.config).toMatchObject({ datasetId: dataset.id, hiddenSize: 8 });

    // the list reads run.json, never the log: before run.json notes a best, the checkpoints' headers stand in
    expect((await runs.list(PROJECT))[0]).toMatchObject({ id, bestValPerplexity: 9.5, progress: { epoch: 1.5 } });
    expect(await recordBestValPerplexity(fs, PROJECT, id, 9)).toBe(true);
    expect(await recordBestValPerplexity(fs, PROJECT, id, 9.2)).toBe(false);
    expect(await recordBestValPerplexity(fs, PROJECT, id, NaN)).toBe(false);
    const [listed] = await runs.list(PROJECT);
    expect(listed).toMatchObject({ id, bestValPerplexity: 9, progress: { epoch: 1.5 } });
  });

  it('renames a run, refuses to delete it while it trains, and deletes it once stopped', async () => {
    const { fs, dataset } = await projectWithText();
    let hosted = false;
    const runs = new RunsService({ fs, live: { status: () => null, isActive: () => hosted } });
    const { id } = await runs.create(PROJECT, { datasetId: dataset.id, ...tiny });
    expect((await runs.rename(PROJECT, id, 'renamed')).name).toBe('renamed');
    await setRunState(fs, PROJECT, id, 'running');
    expect(await codeOf(runs.delete(PROJECT, id))).toBe('RunActive');
    await setRunState(fs, PROJECT, id, 'paused');
    hosted = true;
    expect(await codeOf(runs.delete(PROJECT, id))).toBe('RunActive');
    hosted = false;
    expect(await runs.delete(PROJECT, id)).toEqual({ deleted: true });
    expect(await codeOf(readRun(fs, PROJECT, id))).toBe('NotFound');
    expect(await codeOf(runs.delete(PROJECT, id))).toBe('NotFound');
  });

  it('rebuilds a missing vocab.json and refuses a dataset that changed under the run', async () => {
    const { fs, dataset } = await projectWithText();
    const runs = new RunsService({ fs });
    const { id } = await runs.create(PROJECT, { datasetId: dataset.id, ...tiny });
    const before = (await readRunVocab(fs, PROJECT, id))!.file;
    await fs.unlink(runFile(PROJECT, id, 'vocab.json'));
    expect((await runs.get(PROJECT, id)).baselines).toBeNull();
    await loadRunData(fs, PROJECT, id);
    expect((await readRunVocab(fs, PROJECT, id))!.file).toEqual(before);
    await writeJsonAtomic(fs, runFile(PROJECT, id, 'vocab.json'), { ...before, dataset: { ...before.dataset, sha256: '0'.repeat(64) } });
    expect(await codeOf(loadRunData(fs, PROJECT, id))).toBe('DatasetChanged');
    await writeJsonAtomic(fs, runFile(PROJECT, id, 'vocab.json'), { ...before, tokens: ['a', 'b'] });
    expect(await codeOf(loadRunData(fs, PROJECT, id))).toBe('CorruptVocabulary');
  });
});

describe('metric timeline after a resume', () => {
  it('keeps the records written after a restart in place of the earlier ones from that step on', async () => {
    const { latestTimeline } = await import('../../src/core/services/run-files');
    const r = (step: number, tag: string) => ({ step, tag });
    // trained to step 50, crashed, resumed from the checkpoint at step 20
    const log = [r(10, 'a'), r(20, 'a'), r(30, 'a'), r(40, 'a'), r(50, 'a'), r(30, 'b'), r(40, 'b')];
    expect(latestTimeline(log)).toEqual([r(10, 'a'), r(20, 'a'), r(30, 'b'), r(40, 'b')]);
    // records sharing a step (train, val, epoch at an epoch's end) are all kept
    expect(latestTimeline([r(10, 't'), r(10, 'v'), r(10, 'e'), r(20, 't')])).toHaveLength(4);
  });
});

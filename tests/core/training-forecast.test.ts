/** Forecast runs through the training host and the in-process trainer, over a MemoryFileSystem. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../../src/core/datasets/import-dataset';
import { loadForecastRun } from '../../src/core/forecast/forecast-run';
import type { FileSystem } from '../../src/core/fs/file-system';
import { MemoryFileSystem } from '../../src/core/fs/memory-file-system';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { readDivergence, readMetrics } from '../../src/core/services/run-files';
import { listCheckpoints, loadCheckpoint, saveCheckpoint } from '../../src/core/store/checkpoints';
import { createProject } from '../../src/core/store/project';
import { createRun, markInterruptedRuns, readRun } from '../../src/core/store/runs';
import type { RunConfigJson } from '../../src/core/store/runs';
import { loadForecastSeries, type LoadForecastSeries } from '../../src/core/training/forecast-data';
import { inProcessLauncher } from '../../src/core/training/in-process-launcher';
import { TrainingHost } from '../../src/core/training/training-host';
import { workerLauncher } from '../../src/core/training/worker-launcher';
import { d2lSineSeries } from '../../src/engine/forecast/d2l';
import { Rng } from '../../src/engine/rng';
import { forecastConfigSchema, type ForecastRunConfig } from '../../src/shared/forecast-config';
import { runEventSchema, type MetricRecord, type RunEvent } from '../../src/shared/runs';
import { crashOnCheckpoint, eventLog } from './training-fixtures';

const T = 300;
const DIR = '/home/u/series.rnnlab';

/** The d2l sine series (first 300 steps) as a CSV with columns t, x. */
function seriesCsv(): { text: string; x: number[] } {
  const x = Array.from(d2lSineSeries(new Rng(1)).subarray(0, T), (v) => Number(v.toFixed(6)));
  return { text: ['t,x', ...x.map((v, i) => `${i + 1},${v}`)].join('\n') + '\n', x };
}

async function forecastProject() {
  const fs = new MemoryFileSystem();
  fs.seedDir('/home/u');
  const { text, x } = seriesCsv();
  fs.seedFile('/home/u/series.csv', text);
  return setUp(fs, DIR, '/home/u/series.csv', x);
}

async function diskForecastProject() {
  const root = mkdtempSync(join(tmpdir(), 'rnnlab-forecast-training-'));
  const { text, x } = seriesCsv();
  writeFileSync(join(root, 'series.csv'), text);
  const dir = join(root, 'series.rnnlab');
  return { dir, ...(await setUp(new NodeFileSystem(), dir, join(root, 'series.csv'), x)) };
}

async function setUp<F extends FileSystem>(fs: F, dir: string, source: string, x: number[]) {
  await createProject(fs, dir, 'Forecast training test');
  const dataset = await importDataset(fs, dir, source);
  const createForecastRun = async (config: Partial<ForecastRunConfig> = {}) => {
    const full = forecastConfigSchema.parse({ task: 'forecast', datasetId: dataset.id, target: 'x', window: 4, hiddenSize: 6, epochs: 4, batchSize: 16, lr: 0.01, seed: 3, ...config });
    return (await createRun(fs, dir, { config: full as unknown as RunConfigJson, name: 'forecast x' })).id;
  };
  return { fs, x, createForecastRun };
}

type Project = Awaited<ReturnType<typeof forecastProject>>;

function hostFor(p: Project, loadSeries?: LoadForecastSeries) {
  const log = eventLog();
  const host = new TrainingHost({ fs: p.fs, launcher: inProcessLauncher(p.fs, loadSeries ? { loadSeries } : {}), emit: log.emit });
  return { host, events: log.events };
}

/** The deterministic part of the records (no clock fields). */
const numbers = (records: readonly MetricRecord[], kinds: readonly MetricRecord['kind'][] = ['train', 'val', 'epoch']) =>
  records.filter((r) => kinds.includes(r.kind)).map(({ time: _time, ...rest }) => rest);

async function finalParams(p: Pick<Project, 'fs'>, id: string) {
  const { checkpoints } = await listCheckpoints(p.fs, DIR, id);
  const bundle = await loadCheckpoint(p.fs, DIR, id, checkpoints.at(-1)!.name);
  return { step: bundle.step, tensors: [...bundle.tensors].map(([name, t]) => [name, Array.from(t.data as Float32Array)]) };
}

async function uninterrupted(p: Project, config: Partial<ForecastRunConfig> = {}) {
  const id = await p.createForecastRun(config);
  const { host } = hostFor(p);
  await host.start(DIR, id);
  expect((await host.wait(DIR, id)).state).toBe('done');
  return { id, metrics: await readMetrics(p.fs, DIR, id), params: await finalParams(p, id) };
}

describe('forecast runs in the training host', () => {
  it('trains to done, streaming train records, a val record in original units and a checkpoint every epoch', async () => {
    const p = await forecastProject();
    const id = await p.createForecastRun();
    const { host, events } = hostFor(p);
    const checkpointsSeen: number[] = [];
    host.subscribe((e: RunEvent) => {
      if (e.checkpoints) checkpointsSeen.push(e.checkpoints.length);
    });
    await host.start(DIR, id);
    const run = await host.wait(DIR, id);
    expect(run.state).toBe('done');
    expect(run.message).toMatch(/^Finished 4 epochs \(update \d+\)\.$/);

    const metrics = await readMetrics(p.fs, DIR, id);
    const epochs = metrics.filter((m) => m.kind === 'epoch');
    expect(epochs.map((m) => m.epoch)).toEqual([1, 2, 3, 4]);
    // 210 training rows → 206 windows → 13 minibatches of 16 per epoch
    expect(epochs.map((m) => m.step)).toEqual([13, 26, 39, 52]);
    expect(epochs.at(-1)!.loss!).toBeLessThan(epochs[0]!.loss!);
    for (const e of epochs) expect(e).toMatchObject({ lr: 0.01, gradNorm: expect.any(Number) });
    const train = metrics.filter((m) => m.kind === 'train');
    expect(train.length).toBeGreaterThanOrEqual(4 * 13);
    for (const m of train) expect(m).toMatchObject({ loss: expect.any(Number), gradNorm: expect.any(Number), lr: 0.01 });

    // validation rows 210…269 (train 70 %, val 20 %): the last-value baseline computed here by hand
    const val = metrics.filter((m) => m.kind === 'val');
    expect(val.map((m) => m.epoch)).toEqual([1, 2, 3, 4]);
    let ae = 0, se = 0;
    for (let t = 210; t < 270; t++) {
      ae += Math.abs(p.x[t]! - p.x[t - 1]!);
      se += (p.x[t]! - p.x[t - 1]!) ** 2;
    }
    for (const v of val) {
      expect(v.baselineMae!).toBeCloseTo(ae / 60, 5);
      expect(v.baselineRmse!).toBeCloseTo(Math.sqrt(se / 60), 5);
      expect(v.rmse!).toBeCloseTo(Math.sqrt(v.mse!), 12);
      expect(v.mae!).toBeGreaterThan(0);
      expect(v.loss!).toBeGreaterThan(0);
      expect(v.perplexity).toBeUndefined();
    }
    expect(val.at(-1)!.mse!).toBeLessThan(val[0]!.mse!);

    // one checkpoint per epoch, each at its epoch's step, each announced live
    const { checkpoints } = await listCheckpoints(p.fs, DIR, id);
    expect(checkpoints.map((c) => c.step)).toEqual([13, 26, 39, 52]);
    expect(checkpointsSeen.at(-1)).toBe(4); // events batch at ~10 a second: a fast run may announce several at once
    for (const e of events) expect(runEventSchema.safeParse(e).success).toBe(true);
    expect(events.some((e) => e.state === 'running' && e.metrics.some((m) => m.kind === 'train'))).toBe(true);
    expect(events.at(-1)!.state).toBe('done');

    // the trained run loads for predictions and exports like one made by the command line
    const loaded = await loadForecastRun(p.fs, DIR, id);
    expect(loaded).toMatchObject({ trainEnd: 210, valEnd: 270, length: T });
  });

  it('pauses, single-steps, and resumes to the same records and bit-identical parameters as an uninterrupted run', async () => {
    const p = await forecastProject();
    const reference = await uninterrupted(p, { epochs: 3 });
    const id = await p.createForecastRun({ epochs: 3 });
    const { host } = hostFor(p);
    // single steps load the run paused without racing it to its end
    for (let i = 0; i < 5; i++) await host.step(DIR, id);
    expect(host.status(DIR, id)!.progress!.step).toBe(5);
    expect((await readRun(p.fs, DIR, id)).state).toBe('paused');
    expect((await host.resume(DIR, id)).state).toBe('running');
    await host.pause(DIR, id);
    await host.step(DIR, id);
    await host.resume(DIR, id);
    expect((await host.wait(DIR, id)).state).toBe('done');
    expect(numbers(await readMetrics(p.fs, DIR, id))).toEqual(numbers(reference.metrics));
    expect(await finalParams(p, id)).toEqual(reference.params);
  });

  it('released mid-epoch (app quit) and resumed by a new host, it ends exactly where an uninterrupted run does', async () => {
    const p = await forecastProject();
    const reference = await uninterrupted(p, { epochs: 3 });
    const id = await p.createForecastRun({ epochs: 3 });
    const first = hostFor(p);
    for (let i = 0; i < 19; i++) await first.host.step(DIR, id); // epoch 2, minibatch 7 of 13
    await first.host.shutdown();
    expect((await readRun(p.fs, DIR, id)).state).toBe('paused');
    expect((await listCheckpoints(p.fs, DIR, id)).checkpoints.map((c) => c.step)).toEqual([13, 19]);

    const second = hostFor(p);
    await second.host.resume(DIR, id);
    expect((await second.host.wait(DIR, id)).state).toBe('done');
    expect(numbers(await readMetrics(p.fs, DIR, id), ['val', 'epoch'])).toEqual(numbers(reference.metrics, ['val', 'epoch']));
    expect(await finalParams(p, id)).toEqual(reference.params);
  });

  it('stops a run as done at its current step with a checkpoint there, and a resume with more epochs and a new learning rate continues it', async () => {
    const p = await forecastProject();
    const id = await p.createForecastRun({ epochs: 3 });
    const { host } = hostFor(p);
    for (let i = 0; i < 7; i++) await host.step(DIR, id);
    const stopped = await host.stop(DIR, id);
    expect(stopped.state).toBe('done');
    expect(stopped.message).toMatch(/^Stopped at epoch 0 of 3 \(update 7\)/);
    expect((await listCheckpoints(p.fs, DIR, id)).checkpoints.map((c) => c.step)).toEqual([7]);

    await host.resume(DIR, id, { epochs: 4, lr: 0.005 });
    expect((await host.wait(DIR, id)).state).toBe('done');
    const epochs = (await readMetrics(p.fs, DIR, id)).filter((m) => m.kind === 'epoch');
    expect(epochs.map((m) => [m.epoch, m.step, m.lr])).toEqual([[1, 13, 0.005], [2, 26, 0.005], [3, 39, 0.005], [4, 52, 0.005]]);
  });

  it('ends as diverged when the loss turns NaN, with divergence.json saying so and the last good checkpoint kept', async () => {
    const p = await forecastProject();
    const id = await p.createForecastRun({ epochs: 2 });
    const { host } = hostFor(p);
    await host.start(DIR, id);
    expect((await host.wait(DIR, id)).state).toBe('done');
    const good = (await listCheckpoints(p.fs, DIR, id)).checkpoints.at(-1)!.step;
    expect(good).toBe(26);

    // the series now holds a NaN inside the training part (the normalisation comes from the checkpoint)
    const poisoned: LoadForecastSeries = async (fs, dir, config) => {
      const s = await loadForecastSeries(fs, dir, config);
      s.raw[100] = NaN;
      return s;
    };
    const second = hostFor(p, poisoned);
    await second.host.resume(DIR, id, { epochs: 4 });
    const run = await second.host.wait(DIR, id);
    expect(run.state).toBe('diverged');
    expect(run.message).toMatch(/^Training diverged at update \d+ \(epoch 3, minibatch \d+ of 13\): the training loss is NaN\. Lower the learning rate/);
    expect(await readDivergence(p.fs, DIR, id)).toMatchObject({ where: 'loss', parameter: null, message: run.message });
    expect(second.events.at(-1)!.divergence).toMatchObject({ where: 'loss' });
    expect((await listCheckpoints(p.fs, DIR, id)).checkpoints.at(-1)!.step).toBe(good);
    expect((await readMetrics(p.fs, DIR, id)).filter((m) => m.kind === 'epoch').map((m) => m.epoch)).toEqual([1, 2]);
  });

  it('trains a horizon of 3 with the Huber loss: a head of 3 outputs, val errors over all 3 steps, the loss on normalised values', async () => {
    const p = await forecastProject();
    const { id, metrics } = await uninterrupted(p, { horizon: 3, loss: 'huber', epochs: 2 });
    // training windows need all 3 targets before row 210: starts 0…203 → 204 windows → 13 minibatches
    expect(metrics.filter((m) => m.kind === 'epoch').map((m) => m.step)).toEqual([13, 26]);
    const { checkpoints } = await listCheckpoints(p.fs, DIR, id);
    const bundle = await loadCheckpoint(p.fs, DIR, id, checkpoints.at(-1)!.name);
    expect(bundle.tensors.get('head.weight')!.shape).toEqual([3, 6]);
    expect(bundle.state).toMatchObject({ horizon: 3 });
    const std = (bundle.state as { normalization: { std: number[] } }).normalization.std[0]!;
    for (const v of metrics.filter((m) => m.kind === 'val')) {
      // Huber (δ = 1) is at most half the squared error: the record holds the run's loss, not the MSE
      expect(v.loss!).toBeGreaterThan(0);
      expect(v.loss!).toBeLessThanOrEqual(v.mse! / std ** 2 / 2 + 1e-9);
      expect(v.baselineMae!).toBeGreaterThan(0);
    }
    const loaded = await loadForecastRun(p.fs, DIR, id);
    expect(loaded.windows.outputSize).toBe(3);
  });

  for (const after of ['keep-all', 'lose-unsynced'] as const) {
    it(`killed in the middle of a checkpoint write, it resumes from the last good checkpoint to the same parameters (${after === 'keep-all' ? 'process crash' : 'power cut'})`, async () => {
      const p = await forecastProject();
      const reference = await uninterrupted(p, { epochs: 3 });
      const id = await p.createForecastRun({ epochs: 3 });
      const crashing = crashOnCheckpoint(p.fs, 2);
      const host = new TrainingHost({ fs: crashing, launcher: inProcessLauncher(crashing), onError: () => {} });
      await host.start(DIR, id);
      expect(await host.wait(DIR, id).catch((e: { code?: string }) => e.code)).toBe('Crashed');
      expect(crashing.crashedAt).toMatch(/checkpoints\/\.step-0+26\.safetensors\.tmp-/);

      const fs = p.fs.afterCrash(after);
      expect(await markInterruptedRuns(fs, DIR)).toEqual([id]);
      expect((await listCheckpoints(fs, DIR, id)).checkpoints.map((c) => c.step)).toEqual([13]);
      const again = new TrainingHost({ fs, launcher: inProcessLauncher(fs) });
      await again.resume(DIR, id);
      expect((await again.wait(DIR, id)).state).toBe('done');
      expect(numbers(await readMetrics(fs, DIR, id), ['val', 'epoch'])).toEqual(numbers(reference.metrics, ['val', 'epoch']));
      expect(await finalParams({ ...p, fs }, id)).toEqual(reference.params);
    });
  }

  it('trains in a real worker thread, picked by the run config\'s task', async () => {
    const p = await diskForecastProject();
    const id = await p.createForecastRun({ epochs: 2 });
    const host = new TrainingHost({ fs: p.fs, launcher: workerLauncher() });
    await host.start(p.dir, id);
    const run = await host.wait(p.dir, id);
    expect(run.message).toBe('Finished 2 epochs (update 26).');
    expect(run.state).toBe('done');
    const val = (await readMetrics(p.fs, p.dir, id)).filter((m) => m.kind === 'val');
    expect(val.map((m) => m.epoch)).toEqual([1, 2]);
    expect(val[0]!.mse).toBeGreaterThan(0);
  }, 60_000);

  it('refuses a resume learning rate outside the forecast range before releasing a paused trainer or writing training.json', async () => {
    const p = await forecastProject();
    const id = await p.createForecastRun({ epochs: 3 });
    const { host } = hostFor(p);
    await host.step(DIR, id);
    const err = await host.resume(DIR, id, { lr: 50 }).catch((e: { code?: string; message: string }) => e);
    expect(err).toMatchObject({ code: 'InvalidSetting', message: expect.stringMatching(/^The learning rate 50 is out of range for this forecast run \(.*10/) });
    expect(host.isActive(DIR, id)).toBe(true); // still loaded and paused, not released
    expect((await readRun(p.fs, DIR, id)).state).toBe('paused');
    expect(await p.fs.stat(`${DIR}/runs/${id}/training.json`)).toBeUndefined();
    await host.resume(DIR, id, { lr: 5 }); // inside the range: accepted
    expect((await host.wait(DIR, id)).state).toBe('done');
  });

  it('refuses to resume from a checkpoint written before forecast runs could resume, saying why, and leaves the run as it was', async () => {
    const p = await forecastProject();
    const id = await p.createForecastRun({ epochs: 1 });
    const { host } = hostFor(p);
    await host.start(DIR, id);
    await host.wait(DIR, id);
    // what the command line used to write: the parameters and the run state, no training position
    const { checkpoints } = await listCheckpoints(p.fs, DIR, id);
    const old = await loadCheckpoint(p.fs, DIR, id, checkpoints[0]!.name);
    const { trainer: _trainer, ...state } = old.state as Record<string, unknown>;
    await saveCheckpoint(p.fs, DIR, id, { step: old.step, tensors: new Map([...old.tensors].filter(([k]) => !k.startsWith('optim.'))), state });
    const err = await host.resume(DIR, id, { epochs: 2 }).catch((e: { code?: string; message: string }) => e);
    expect(err).toMatchObject({ code: 'NoCheckpoint', message: expect.stringMatching(/cannot be resumed: its newest whole checkpoint is not a forecast training checkpoint \(it was written before forecast runs could resume/) });
    expect((await readRun(p.fs, DIR, id)).state).toBe('done');
  });

  it('thins the windows by the stride: every second window trains and validates', async () => {
    const p = await forecastProject();
    const { metrics } = await uninterrupted(p, { epochs: 1, stride: 2 });
    // 206 training windows → 103 → 7 minibatches of 16
    expect(metrics.find((m) => m.kind === 'epoch')!.step).toBe(7);
  });
});

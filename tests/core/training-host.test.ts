import { describe, expect, it } from 'vitest';
import { readJsonFile } from '../../src/core/store/json-file';
import { runFile } from '../../src/core/store/layout';
import { listCheckpoints } from '../../src/core/store/checkpoints';
import { createRun, readRun, setRunState } from '../../src/core/store/runs';
import { IMPORTED_DATASET_ID } from '../../src/core/export/import-weights';
import { readDivergence, readMetrics, readSamples } from '../../src/core/services/run-files';
import { DIVERGENCE_FILE } from '../../src/core/services/run-files';
import { inProcessLauncher } from '../../src/core/training/in-process-launcher';
import { TrainingHost } from '../../src/core/training/training-host';
import { nonFiniteReportSchema, runEventSchema, type RunEvent } from '../../src/shared/runs';
import { z } from 'zod';
import { codeOf } from './helpers';
import { eventLog, memoryTrainingProject, numbers, TINY, type TrainingProject } from './training-fixtures';

function hostFor(p: TrainingProject, extra: Partial<ConstructorParameters<typeof TrainingHost>[0]> = {}) {
  const log = eventLog();
  const host = new TrainingHost({ fs: p.fs, launcher: inProcessLauncher(p.fs), emit: log.emit, ...extra });
  return { host, events: log.events };
}

/** Trains a run straight through and returns its metric records. */
async function uninterrupted(p: TrainingProject, config: Parameters<TrainingProject['createRun']>[0] = {}) {
  const id = await p.createRun(config);
  const { host } = hostFor(p);
  await host.start(p.dir, id);
  expect((await host.wait(p.dir, id)).state).toBe('done');
  return readMetrics(p.fs, p.dir, id);
}

function until(events: RunEvent[], test: (e: RunEvent) => boolean): Promise<RunEvent> {
  return new Promise((resolve) => {
    const tick = () => {
      const hit = events.find(test);
      if (hit) resolve(hit);
      else setTimeout(tick, 1);
    };
    tick();
  });
}

describe('training host', () => {
  it('trains a queued run to done, with epoch, validation, train-window records, samples and pruned checkpoints', async () => {
    const p = await memoryTrainingProject();
    const id = await p.createRun({ epochs: 3, keepCheckpoints: 2 });
    const { host, events } = hostFor(p);
    const started = await host.start(p.dir, id);
    expect(started.state).toBe('running');
    const run = await host.wait(p.dir, id);
    expect(run.state).toBe('done');
    expect(run.message).toMatch(/Finished 3 epochs/);
    expect((await readRun(p.fs, p.dir, id)).kernels).toMatch(/^(ts|wasm).* \(\d+ threads?\)$/);

    const metrics = await readMetrics(p.fs, p.dir, id);
    expect(metrics.filter((m) => m.kind === 'epoch').map((m) => m.epoch)).toEqual([1, 2, 3]);
    expect(metrics.filter((m) => m.kind === 'val')).toHaveLength(3);
    const train = metrics.filter((m) => m.kind === 'train');
    expect(train.length).toBeGreaterThan(3 * 10);
    for (const m of train) {
      expect(m.loss).toBeGreaterThan(0);
      expect(m.gradNorm).toBeGreaterThan(0);
      expect(m.lr).toBe(1);
    }
    const epochs = metrics.filter((m) => m.kind === 'epoch');
    expect(epochs[2]!.perplexity!).toBeLessThan(epochs[0]!.perplexity!);

    const samples = await readSamples(p.fs, p.dir, id);
    expect(samples.map((s) => s.epoch)).toEqual([1, 2, 3]);
    expect(samples.every((s) => s.prefix === 'the time' && s.text.length > 0)).toBe(true);

    const { checkpoints } = await listCheckpoints(p.fs, p.dir, id);
    expect(checkpoints.length).toBeLessThanOrEqual(3); // last 2 plus the best
    expect(checkpoints.at(-1)!.step).toBe(epochs[2]!.step);

    // every event is a valid runs:update payload, ends with the final state, and carries all records
    for (const e of events) expect(runEventSchema.safeParse(e).success).toBe(true);
    expect(events.at(-1)!.state).toBe('done');
    expect(events.flatMap((e) => e.metrics)).toHaveLength(metrics.length);
  });

  it('batches progress events to at most about ten a second per run', async () => {
    const p = await memoryTrainingProject();
    const id = await p.createRun({ epochs: 6, hiddenSize: 32 });
    const stamps: { t: number; state: string }[] = [];
    const host = new TrainingHost({ fs: p.fs, launcher: inProcessLauncher(p.fs), emit: (e) => stamps.push({ t: performance.now(), state: e.state }) });
    await host.start(p.dir, id);
    await host.wait(p.dir, id);
    const running = stamps.filter((s) => s.state === 'running');
    for (let i = 2; i < running.length; i++) expect(running[i]!.t - running[i - 1]!.t).toBeGreaterThanOrEqual(95);
  });

  it('pauses, single-steps and resumes through the service with the same losses as an uninterrupted run', async () => {
    const p = await memoryTrainingProject();
    // 30 epochs: long enough that the pause lands mid-run on any machine
    const reference = await uninterrupted(p, { epochs: 30 });

    const id = await p.createRun({ epochs: 30 });
    const { host } = hostFor(p);
    await host.start(p.dir, id);
    const paused = await host.pause(p.dir, id);
    expect(paused.state).toBe('paused');
    const at = host.status(p.dir, id)!.progress!.step;
    await host.step(p.dir, id);
    await host.step(p.dir, id);
    expect(host.status(p.dir, id)!.progress!.step).toBe(at + 2);
    expect((await readRun(p.fs, p.dir, id)).state).toBe('paused');
    expect(await codeOf(host.start(p.dir, id))).toBe('AlreadyActive');
    expect((await host.resume(p.dir, id)).state).toBe('running');
    expect((await host.wait(p.dir, id)).state).toBe('done');

    const metrics = await readMetrics(p.fs, p.dir, id);
    // a paused run keeps its trainer loaded: every record, training windows included, is the same
    expect(numbers(metrics, ['train', 'val', 'epoch'])).toEqual(numbers(reference, ['train', 'val', 'epoch']));
  });

  it('single-steps a queued run without starting it, then resumes it to the same result', async () => {
    const p = await memoryTrainingProject();
    const reference = await uninterrupted(p, { epochs: 2 });
    const id = await p.createRun({ epochs: 2 });
    const { host } = hostFor(p);
    const stepped = await host.step(p.dir, id);
    expect(stepped.state).toBe('paused');
    expect(host.status(p.dir, id)!.progress!.step).toBe(1);
    await host.resume(p.dir, id);
    await host.wait(p.dir, id);
    expect(numbers(await readMetrics(p.fs, p.dir, id))).toEqual(numbers(reference));
  });

  it('shutdown checkpoints a running run as interrupted, and resume continues it to the same epochs', async () => {
    const p = await memoryTrainingProject();
    const reference = await uninterrupted(p, { epochs: 10 });
    const id = await p.createRun({ epochs: 10 });
    const first = hostFor(p, { eventIntervalMs: 0 });
    await first.host.start(p.dir, id);
    await until(first.events, (e) => (e.progress?.step ?? 0) > 80);
    await first.host.shutdown();
    const run = await readRun(p.fs, p.dir, id);
    expect(run.state).toBe('interrupted');
    expect(run.message).toMatch(/resume continues/);
    expect(await codeOf(first.host.start(p.dir, id))).toBe('ShuttingDown');
    const saved = (await listCheckpoints(p.fs, p.dir, id)).checkpoints.at(-1)!.step;
    expect(saved).toBeGreaterThan(80); // wherever it was, between two minibatches

    const second = hostFor(p);
    await second.host.resume(p.dir, id);
    expect((await second.host.wait(p.dir, id)).state).toBe('done');
    expect(numbers(await readMetrics(p.fs, p.dir, id))).toEqual(numbers(reference));
  });

  it('a paused run stays paused across shutdown and resumes exactly', async () => {
    const p = await memoryTrainingProject();
    const reference = await uninterrupted(p, { epochs: 2 });
    const id = await p.createRun({ epochs: 2 });
    const first = hostFor(p);
    // single steps load the run paused without racing a 2-epoch run to its end
    await first.host.step(p.dir, id);
    await first.host.step(p.dir, id);
    await first.host.shutdown();
    expect((await readRun(p.fs, p.dir, id)).state).toBe('paused');
    const second = hostFor(p);
    await second.host.resume(p.dir, id);
    await second.host.wait(p.dir, id);
    expect(numbers(await readMetrics(p.fs, p.dir, id))).toEqual(numbers(reference));
  });

  it('stops a run as done at its current step, keeping a checkpoint there', async () => {
    const p = await memoryTrainingProject();
    const id = await p.createRun({ epochs: 50 });
    const { host, events } = hostFor(p);
    await host.start(p.dir, id);
    await until(events, (e) => (e.progress?.step ?? 0) > 5);
    const run = await host.stop(p.dir, id);
    expect(run.state).toBe('done');
    expect(run.message).toMatch(/^Stopped at epoch \d+ of 50/);
    const step = events.at(-1)!.progress!.step;
    expect((await listCheckpoints(p.fs, p.dir, id)).checkpoints.at(-1)!.step).toBe(step);
    expect(host.status(p.dir, id)).toBeNull();
  });

  it('queues runs beyond the concurrency limit and starts them as slots free up', async () => {
    const p = await memoryTrainingProject();
    const a = await p.createRun({ epochs: 100_000 }); // still training whatever the machine's speed
    const b = await p.createRun({ epochs: 2 });
    const { host } = hostFor(p, { maxConcurrent: 1 });
    expect((await host.start(p.dir, a)).state).toBe('running');
    expect((await host.start(p.dir, b)).state).toBe('queued');
    expect(host.status(p.dir, b)).toEqual({ progress: null });
    expect(await codeOf(host.start(p.dir, b))).toBe('AlreadyActive');
    await host.pause(p.dir, a); // a paused run frees its slot
    await host.wait(p.dir, b);
    expect((await readRun(p.fs, p.dir, b)).state).toBe('done');
    expect((await readRun(p.fs, p.dir, a)).state).toBe('paused');
    await host.resume(p.dir, a);
    expect((await readRun(p.fs, p.dir, a)).state).toBe('running');
    expect((await host.stop(p.dir, a)).state).toBe('done');
  });

  it('stops a diverged run as diverged with divergence.json naming the parameter, and a resume with a lower learning rate continues from the last good checkpoint', async () => {
    const p = await memoryTrainingProject();
    const healthy = { cell: 'rnn', nonlinearity: 'relu', clip: 0, lr: 0.5, hiddenSize: 16 } as const;
    const reference = await uninterrupted(p, { ...healthy, epochs: 4 });

    const id = await p.createRun({ ...healthy, epochs: 2 });
    const { host, events } = hostFor(p);
    await host.start(p.dir, id);
    expect((await host.wait(p.dir, id)).state).toBe('done');
    const good = (await listCheckpoints(p.fs, p.dir, id)).checkpoints.at(-1)!.step;

    // an absurd learning rate: the ReLU state overflows within a few updates
    await host.resume(p.dir, id, { epochs: 4, lr: 100 });
    const diverged = await host.wait(p.dir, id);
    expect(diverged.state).toBe('diverged');
    expect(diverged.message).toMatch(/^Training diverged at update \d+ .*learning rate 100/);
    expect(diverged.message).not.toContain('\n');
    const raw = await readJsonFile(p.fs, runFile(p.dir, id, DIVERGENCE_FILE), z.unknown());
    expect(raw.ok && nonFiniteReportSchema.strict().safeParse(raw.value).success).toBe(true);
    const report = (await readDivergence(p.fs, p.dir, id))!;
    expect(report.parameter).toMatch(/^(rnn|output)\.(weight|bias)/);
    expect(events.at(-1)!.divergence).toEqual(report);
    expect((await listCheckpoints(p.fs, p.dir, id)).checkpoints.at(-1)!.step).toBe(good);

    await host.resume(p.dir, id, { lr: 0.5 });
    expect((await host.wait(p.dir, id)).state).toBe('done');
    const epochs = numbers(await readMetrics(p.fs, p.dir, id));
    expect(epochs).toEqual(numbers(reference)); // the diverged attempt left no epoch behind
  });

  it('ends a char model whose loss explodes without NaN (GRU, lr 100, clip 0) as diverged, not done, with divergence.json saying so', async () => {
    const p = await memoryTrainingProject();
    const id = await p.createRun({ cell: 'gru', clip: 0, lr: 100, hiddenSize: 32, epochs: 3 });
    const { host, events } = hostFor(p);
    await host.start(p.dir, id);
    const run = await host.wait(p.dir, id);
    expect(run.state).toBe('diverged');
    expect(run.message).toMatch(/the training loss exploded/);
    const train = (await readMetrics(p.fs, p.dir, id)).filter((m) => m.kind === 'train');
    expect(train.every((m) => m.loss !== null && Number.isFinite(m.loss))).toBe(true); // no NaN anywhere
    const dto = await readJsonFile(p.fs, runFile(p.dir, id, DIVERGENCE_FILE), nonFiniteReportSchema);
    expect(dto).toMatchObject({ ok: true, value: { where: 'exploding-loss', parameter: null, timeStep: null } });
    expect(events.at(-1)!.divergence).toMatchObject({ where: 'exploding-loss' });
  });

  it('resumes a run diverged before its first checkpoint from the start with the lower learning rate', async () => {
    const p = await memoryTrainingProject();
    const id = await p.createRun({ cell: 'rnn', nonlinearity: 'relu', clip: 0, lr: 100, hiddenSize: 16, epochs: 2 });
    const { host } = hostFor(p);
    await host.start(p.dir, id);
    expect((await host.wait(p.dir, id)).state).toBe('diverged');
    expect((await listCheckpoints(p.fs, p.dir, id)).checkpoints).toEqual([]);
    await host.resume(p.dir, id, { lr: 0.5 });
    expect((await host.wait(p.dir, id)).state).toBe('done');
    const lrs = (await readMetrics(p.fs, p.dir, id)).filter((m) => m.kind === 'epoch').map((m) => m.lr);
    expect(lrs).toEqual([0.5, 0.5]);
  });

  it('refuses what a run cannot do in its state, with codes', async () => {
    const p = await memoryTrainingProject();
    const id = await p.createRun({ epochs: 1 });
    const { host } = hostFor(p);
    expect(await codeOf(host.pause(p.dir, id))).toBe('NotRunning');
    expect(await codeOf(host.stop(p.dir, id))).toBe('NotRunning');
    await host.start(p.dir, id);
    await host.wait(p.dir, id);
    expect(await codeOf(host.start(p.dir, id))).toBe('NotStartable');
    expect(await codeOf(host.step(p.dir, id))).toBe('NotResumable');
    expect(await codeOf(host.start(p.dir, 'run-missing'))).toBe('NotFound');
  });

  it('refuses to resume a finished run whose checkpoints are gone (NoCheckpoint naming the run) and leaves it as it was', async () => {
    const p = await memoryTrainingProject();
    const id = await p.createRun({ epochs: 1 });
    const { host } = hostFor(p);
    await host.start(p.dir, id);
    expect((await host.wait(p.dir, id)).state).toBe('done');
    for (const c of (await listCheckpoints(p.fs, p.dir, id)).checkpoints) await p.fs.unlink(`${p.dir}/runs/${id}/checkpoints/${c.name}`);
    const err = await host.resume(p.dir, id, { epochs: 2 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NoCheckpoint', details: { runId: id, damaged: 0 } });
    expect((err as Error).message).toContain(id);
    expect((await readRun(p.fs, p.dir, id)).state).toBe('done');
    expect(host.isActive(p.dir, id)).toBe(false);
  });

  it('refuses to resume a run whose weights were imported from another tool', async () => {
    const p = await memoryTrainingProject();
    const { id } = await createRun(p.fs, p.dir, { config: { ...TINY, datasetId: IMPORTED_DATASET_ID } as never, name: 'from pytorch' });
    await setRunState(p.fs, p.dir, id, 'running');
    await setRunState(p.fs, p.dir, id, 'done');
    const host = new TrainingHost({ fs: p.fs, launcher: inProcessLauncher(p.fs) });
    await expect(host.resume(p.dir, id)).rejects.toMatchObject({ code: 'ImportedRun' });
    expect((await readRun(p.fs, p.dir, id)).state).toBe('done');
  });
});

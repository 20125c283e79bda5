import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { readMetrics, toMetricRecord } from '../../src/core/services/run-files';
import { readLog } from '../../src/core/store/record-log';
import { METRICS_LOG, runFile } from '../../src/core/store/layout';
import { listCheckpoints } from '../../src/core/store/checkpoints';
import { markInterruptedRuns, readRun } from '../../src/core/store/runs';
import { inProcessLauncher } from '../../src/core/training/in-process-launcher';
import { TrainingHost } from '../../src/core/training/training-host';
import { workerLauncher } from '../../src/core/training/worker-launcher';
import type { MetricRecord, RunEvent } from '../../src/shared/runs';
import { crashOnCheckpoint, diskTrainingProject, memoryTrainingProject, numbers, TINY } from './training-fixtures';

/** Later records of the same kind and step replace earlier ones (what a resume re-trains). */
function latest(records: readonly MetricRecord[]): MetricRecord[] {
  const byKey = new Map<string, MetricRecord>();
  for (const r of records) byKey.set(`${r.kind}:${r.step}`, r);
  return [...byKey.values()];
}

function until(events: RunEvent[], test: (e: RunEvent) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const tick = () => (events.some(test) ? resolve() : setTimeout(tick, 2));
    tick();
  });
}

describe('trainer crashes', () => {
  for (const after of ['keep-all', 'lose-unsynced'] as const) {
    it(`a trainer killed in the middle of a checkpoint write resumes from the last good checkpoint (${after === 'keep-all' ? 'process crash' : 'power cut'})`, async () => {
      const p = await memoryTrainingProject();
      const ref = await p.createRun({ epochs: 3 });
      const refHost = new TrainingHost({ fs: p.fs, launcher: inProcessLauncher(p.fs) });
      await refHost.start(p.dir, ref);
      await refHost.wait(p.dir, ref);
      const reference = await readMetrics(p.fs, p.dir, ref);

      const id = await p.createRun({ epochs: 3 });
      const crashing = crashOnCheckpoint(p.fs, 2);
      const errors: unknown[] = [];
      const host = new TrainingHost({ fs: crashing, launcher: inProcessLauncher(crashing), onError: (e) => errors.push(e) });
      await host.start(p.dir, id);
      expect(await host.wait(p.dir, id).catch((e: { code?: string }) => e.code)).toBe('Crashed'); // run.json is unreadable until the reboot
      expect(crashing.crashedAt).toMatch(/checkpoints\/\.step-0+134\.safetensors\.tmp-/);
      expect(p.fs.crashed).toBe(true);

      // reboot: the run is still marked running, the torn temp file is not a checkpoint
      const fs = p.fs.afterCrash(after);
      expect((await readRun(fs, p.dir, id)).state).toBe('running');
      expect(await markInterruptedRuns(fs, p.dir)).toEqual([id]);
      const { checkpoints } = await listCheckpoints(fs, p.dir, id);
      expect(checkpoints.map((c) => c.step)).toEqual([67]);

      const again = new TrainingHost({ fs, launcher: inProcessLauncher(fs) });
      await again.resume(p.dir, id);
      expect((await again.wait(p.dir, id)).state).toBe('done');
      // epoch 2 was logged before the crash and trained again after it: both times the same numbers
      const raw = (await readLog(fs, runFile(p.dir, id, METRICS_LOG))).records.map(toMetricRecord);
      const epoch2 = raw.filter((m) => m?.kind === 'epoch' && m.epoch === 2) as MetricRecord[];
      expect(epoch2).toHaveLength(after === 'keep-all' ? 2 : epoch2.length);
      expect(new Set(numbers(epoch2).map((r) => JSON.stringify(r))).size).toBe(1);
      // the run's timeline shows the records once, equal to an uninterrupted run
      const metrics = await readMetrics(fs, p.dir, id);
      expect(metrics.filter((m) => m.kind === 'epoch' && m.epoch === 2)).toHaveLength(1);
      expect(numbers(latest(metrics))).toEqual(numbers(reference));
    });
  }

  it('a worker that dies marks only its own run failed; the other run finishes, and the failed one resumes from its last checkpoint', async () => {
    const p = await diskTrainingProject();
    const config = { ...TINY, epochs: 5, hiddenSize: 16 };
    const victim = await p.createRun(config);
    const survivor = await p.createRun(config);
    const workers = new Map<string, Worker>();
    const events: RunEvent[] = [];
    const host = new TrainingHost({
      fs: p.fs, maxConcurrent: 2, eventIntervalMs: 0, emit: (e) => events.push(e),
      launcher: workerLauncher({ onSpawn: (w, job) => workers.set(job.runId, w) }),
    });
    await host.start(p.dir, victim);
    await host.start(p.dir, survivor);
    await until(events, (e) => e.runId === victim && (e.progress?.step ?? 0) > 140);
    await workers.get(victim)!.terminate();
    const failed = await host.wait(p.dir, victim);
    expect(failed.state).toBe('failed');
    expect(failed.message).toMatch(/^The trainer stopped unexpectedly/);
    expect((await host.wait(p.dir, survivor)).state).toBe('done');

    const saved = (await listCheckpoints(p.fs, p.dir, victim)).checkpoints.at(-1)!.step;
    expect(saved).toBeGreaterThanOrEqual(134);
    await host.resume(p.dir, victim);
    expect((await host.wait(p.dir, victim)).state).toBe('done');
    // same config, same data: the resumed run ends exactly where the survivor did
    const a = latest(await readMetrics(p.fs, p.dir, victim));
    const b = await readMetrics(p.fs, p.dir, survivor);
    expect(numbers(a)).toEqual(numbers(b));
  });

  it('a trainer that throws reports the error and fails only its run', async () => {
    const p = await memoryTrainingProject();
    const bad = await p.createRun({ epochs: 2 });
    const good = await p.createRun({ epochs: 2 });
    let calls = 0;
    const host = new TrainingHost({
      fs: p.fs, maxConcurrent: 2,
      launcher: inProcessLauncher(p.fs, {
        loadData: async (fs, dir, runId) => {
          calls++;
          if (runId === bad) throw new Error('the corpus went away');
          const { loadRunData } = await import('../../src/core/services/run-data');
          return loadRunData(fs, dir, runId);
        },
      }),
    });
    await host.start(p.dir, bad);
    await host.start(p.dir, good);
    const failed = await host.wait(p.dir, bad);
    expect(failed.state).toBe('failed');
    expect(failed.message).toBe('Training failed: the corpus went away');
    expect((await host.wait(p.dir, good)).state).toBe('done');
    expect(calls).toBe(2);
  });
});

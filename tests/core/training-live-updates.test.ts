import { describe, expect, it } from 'vitest';
import { listCheckpoints } from '../../src/core/store/checkpoints';
import { inProcessLauncher } from '../../src/core/training/in-process-launcher';
import { TrainingHost } from '../../src/core/training/training-host';
import { writeOverrides } from '../../src/core/training/run-settings';
import { RunsService } from '../../src/core/services/runs-service';
import { runEventSchema } from '../../src/shared/runs';
import { eventLog, memoryTrainingProject } from './training-fixtures';

describe('live run updates for the window', () => {
  it('pushes the run’s pruned checkpoint list with each save, before the final state', async () => {
    const p = await memoryTrainingProject();
    // long enough to span several event batches (lists saved within one batch go out together, the newest)
    const id = await p.createRun({ epochs: 8, hiddenSize: 32, keepCheckpoints: 1, checkpointEvery: 1 });
    const log = eventLog();
    const host = new TrainingHost({ fs: p.fs, launcher: inProcessLauncher(p.fs), emit: log.emit });
    await host.start(p.dir, id);
    await host.wait(p.dir, id);

    const withList = log.events.filter((e) => e.checkpoints !== undefined);
    expect(withList.length).toBeGreaterThanOrEqual(2);
    for (const e of log.events) expect(runEventSchema.safeParse(e).success).toBe(true);
    // the first one arrives while the run still trains: Generate and Export need not wait for the end
    const firstList = log.events.findIndex((e) => e.checkpoints !== undefined);
    const done = log.events.findIndex((e) => e.state === 'done');
    expect(firstList).toBeLessThan(done);
    expect(log.events[firstList]!.state).toBe('running');
    // what was pushed last is what is on disk, pruning included
    const { checkpoints } = await listCheckpoints(p.fs, p.dir, id);
    expect(withList.at(-1)!.checkpoints!.map((c) => c.name)).toEqual(checkpoints.map((c) => c.name));
    expect(withList.at(-1)!.checkpoints!.filter((c) => c.best)).toHaveLength(1);
  });

  it('counts the runs that train or wait to train, for the close guard', async () => {
    const p = await memoryTrainingProject();
    const a = await p.createRun({ epochs: 1 });
    const b = await p.createRun({ epochs: 1 });
    const host = new TrainingHost({ fs: p.fs, launcher: inProcessLauncher(p.fs), maxConcurrent: 1 });
    expect(host.trainingCount()).toBe(0);
    await host.start(p.dir, a);
    await host.start(p.dir, b); // waits for a's slot
    expect(host.trainingCount()).toBe(2);
    await host.wait(p.dir, a);
    await host.wait(p.dir, b);
    expect(host.trainingCount()).toBe(0);
  });

  it('shows a finished run’s final progress from its log, and the learning rate after every resume', async () => {
    const p = await memoryTrainingProject();
    const id = await p.createRun({ epochs: 2, lr: 1 });
    const host = new TrainingHost({ fs: p.fs, launcher: inProcessLauncher(p.fs) });
    await host.start(p.dir, id);
    await host.wait(p.dir, id);
    const runs = new RunsService({ fs: p.fs, live: host });

    const detail = await runs.get(p.dir, id);
    const last = detail.metrics.reduce((a, b) => (b.step >= a.step ? b : a));
    expect(detail.run.state).toBe('done');
    expect(detail.run.progress).toEqual({ epoch: 2, totalEpochs: 2, step: last.step, elapsedSec: last.time, etaSec: null });
    expect(detail.effective).toEqual({ lr: 1, epochs: 2 });

    await writeOverrides(p.fs, p.dir, id, { lr: 0.5 });
    await writeOverrides(p.fs, p.dir, id, { lr: 0.25, epochs: 4 });
    const resumed = await runs.get(p.dir, id);
    expect(resumed.effective).toEqual({ lr: 0.25, epochs: 4 });
    expect(resumed.config.lr).toBe(1);
    expect(resumed.run.progress?.totalEpochs).toBe(4);
  });
});

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SweepService } from '../../../src/core/sweeps/sweep-service';
import { createSampler } from '../../../src/core/sweeps/sampler';
import { readRun } from '../../../src/core/store/runs';
import { spaceParams, sweepConfigSchema, type SweepEvent } from '../../../src/shared/sweep';
import { diskTrainingProject, TINY } from '../training-fixtures';
import { optunaRead, testHost } from './sweep-helpers';

describe('a sweep after a crash', () => {
  it('shows as interrupted, marks the trial that was training failed, and continues to N with the same parameters', async () => {
    const p = await diskTrainingProject();
    const config = sweepConfigSchema.parse({
      name: 'crash', datasetId: p.datasetId, method: 'random', trials: 5, parallel: 1, prune: 'none', seed: 11,
      base: { ...TINY, epochs: 6, checkpointEvery: 1 },
      space: { lr: { low: 0.1, high: 3, log: true }, hiddenSize: { low: 4, high: 12 } },
    });

    // first process: quits (as on Ctrl-C) while the third trial trains
    const host1 = testHost(p.fs);
    let quit: Promise<void> | null = null;
    const sweeps1 = new SweepService({
      fs: p.fs, host: host1,
      emit: (e: SweepEvent) => {
        if (!quit && e.trial?.number === 2 && e.trial.intermediate.length === 1) {
          sweeps1.interruptAll();
          quit = host1.shutdown();
        }
      },
    });
    const { id } = await sweeps1.create(p.dir, config);
    const first = await sweeps1.wait(p.dir, id);
    await quit;
    expect(first.state).toBe('interrupted');
    expect(first.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'RUNNING']);
    expect((await readRun(p.fs, p.dir, first.trials[2]!.runId!)).state).toBe('interrupted');

    // a hard kill would have left sweep.json saying running and a torn last journal line
    const sweepFile = join(p.dir, 'sweeps', id, 'sweep.json');
    writeFileSync(sweepFile, JSON.stringify({ ...JSON.parse(readFileSync(sweepFile, 'utf8')), state: 'running' }));
    const journal = join(p.dir, 'sweeps', id, 'optuna-journal.log');
    appendFileSync(journal, '{"op_code": 7, "worker_id": "x", "tri');

    // second process
    const host2 = testHost(p.fs);
    const sweeps2 = new SweepService({ fs: p.fs, host: host2 });
    expect((await sweeps2.list(p.dir)).map((s) => [s.id, s.state])).toEqual([[id, 'interrupted']]);
    await sweeps2.resume(p.dir, id);
    const done = await sweeps2.wait(p.dir, id);
    expect(done.state).toBe('done');
    expect(done.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'FAIL', 'COMPLETE', 'COMPLETE']);
    expect(done.trials[2]!.message).toMatch(/interrupted/);
    expect((await readRun(p.fs, p.dir, done.trials[2]!.runId!)).state).toBe('done');
    // trial n's parameters depend only on (seed, n): as an uninterrupted sweep's
    const sampler = createSampler('random', spaceParams(config.space), 11);
    expect(done.trials.map((t) => t.params)).toEqual(done.trials.map((t) => sampler.sample(t.number, [])));
    // the kept trials are untouched
    expect(done.trials.slice(0, 2)).toEqual(first.trials.slice(0, 2));

    // Optuna reads the rewritten journal (no torn line) with the same states and values
    const optuna = optunaRead(journal, id);
    expect(optuna.trials.map((t) => [t.state, t.value])).toEqual(done.trials.map((t) => [t.state, t.value]));
    await host2.shutdown();
  }, 120_000);
});

import { describe, expect, it } from 'vitest';
import { SweepService } from '../../../src/core/sweeps/sweep-service';
import { inProcessTasks } from '../../../src/core/tasks/in-process-tasks';
import { sweepConfigSchema } from '../../../src/shared/sweep';
import { diskTrainingProject, TINY } from '../training-fixtures';
import { testHost } from './sweep-helpers';

describe('K trials at a time', () => {
  it('can create their runs at the same moment in a project with no runs yet', async () => {
    const p = await diskTrainingProject(); // runs/ appears with the first run
    const tasks = inProcessTasks(p.fs);
    const config = { ...TINY, epochs: 1, datasetId: p.datasetId };
    const created = await Promise.allSettled([0, 1, 2].map((i) => tasks.run('runs:create', p.dir, { ...config, name: `t${i}` })));
    expect(created.map((c) => (c.status === 'fulfilled' ? 'created' : (c.reason as Error).message))).toEqual(['created', 'created', 'created']);
  });

  it('creates the first K trial runs at the same moment in a project with no runs yet, each its own', async () => {
    const p = await diskTrainingProject(); // runs/ does not exist until the first run
    const host = testHost(p.fs, 3);
    const tasks = inProcessTasks(p.fs);
    const sweeps = new SweepService({ fs: p.fs, host, createRun: async (dir, config) => (await tasks.run('runs:create', dir, config)).id });
    const config = sweepConfigSchema.parse({ datasetId: p.datasetId, trials: 3, parallel: 3, base: { ...TINY, epochs: 1 }, space: { hiddenSize: { values: [4, 6, 8] } } });
    const { id } = await sweeps.create(p.dir, config);
    const done = await sweeps.wait(p.dir, id);
    expect(done.trials.map((t) => [t.state, t.message])).toEqual([['COMPLETE', null], ['COMPLETE', null], ['COMPLETE', null]]);
    expect(new Set(done.trials.map((t) => t.runId)).size).toBe(3);
    await host.shutdown();
  }, 60_000);
});

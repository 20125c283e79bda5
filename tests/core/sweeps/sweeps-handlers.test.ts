import { describe, expect, it } from 'vitest';
import { createSweepHandlers } from '../../../src/core/handlers/sweeps-handlers';
import { inProcessTasks } from '../../../src/core/tasks/in-process-tasks';
import { events, requests } from '../../../src/shared/ipc/contract';
import type { EmitEvent } from '../../../src/shared/ipc/handlers';
import type { SweepEvent } from '../../../src/shared/sweep';
import { memoryTrainingProject, TINY } from '../training-fixtures';
import { testHost } from './sweep-helpers';

describe('the sweeps:* handlers', () => {
  it('create, stream progress, stop, list, get and resume a sweep, every answer valid under the contract', async () => {
    const p = await memoryTrainingProject();
    const host = testHost(p.fs);
    const progress: SweepEvent[] = [];
    let stopping: Promise<unknown> | null = null;
    let stopped!: (v: unknown) => void;
    const stopAnswer = new Promise((resolve) => (stopped = resolve));
    const emit: EmitEvent = (channel, payload) => {
      expect(channel).toBe('sweeps:progress');
      const event = events['sweeps:progress'].parse(payload);
      progress.push(event);
      if (!stopping && event.trial?.intermediate.length === 1) {
        stopping = Promise.resolve(h['sweeps:stop']({ projectDir: p.dir, sweepId: event.sweepId }));
        void stopping.then(stopped);
      }
    };
    const h = createSweepHandlers({ fs: p.fs, host, emit, tasks: inProcessTasks(p.fs) });
    const request = requests['sweeps:create'].request.parse({
      projectDir: p.dir,
      config: { name: 'h', datasetId: p.datasetId, trials: 3, prune: 'median', base: { ...TINY, epochs: 8 }, space: { hiddenSize: { values: [4, 8] } } },
    });
    const created = requests['sweeps:create'].response.parse(await h['sweeps:create'](request));
    expect(created).toMatchObject({ name: 'h', state: 'running', trials: 3, method: 'random', prune: 'median' });

    const answer = requests['sweeps:stop'].response.parse(await stopAnswer);
    expect(answer).toMatchObject({ id: created.id, state: 'stopped', counts: { FAIL: 1, RUNNING: 0 } });
    const list = requests['sweeps:list'].response.parse(await h['sweeps:list']({ projectDir: p.dir }));
    expect(list.map((s) => [s.id, s.state])).toEqual([[created.id, 'stopped']]);
    const detail = requests['sweeps:get'].response.parse(await h['sweeps:get']({ projectDir: p.dir, sweepId: created.id }));
    expect(detail.trials).toEqual([expect.objectContaining({ number: 0, state: 'FAIL', message: 'Stopped with the sweep before it trained every epoch.' })]);
    expect(detail.journal).toBe(`${p.dir}/sweeps/${created.id}/optuna-journal.log`);
    expect(detail.config.base).toMatchObject({ hiddenSize: 12, epochs: 8, datasetId: p.datasetId });

    requests['sweeps:resume'].response.parse(await h['sweeps:resume']({ projectDir: p.dir, sweepId: created.id }));
    await expect(h['sweeps:resume']({ projectDir: p.dir, sweepId: created.id })).rejects.toMatchObject({ code: 'AlreadyRunning' });
    let final = detail.sweep;
    for (let i = 0; i < 600 && (final.state === 'running' || final.state === 'stopped'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      final = (await h['sweeps:get']({ projectDir: p.dir, sweepId: created.id })).sweep;
    }
    expect(final.state).toBe('done');
    expect(final.counts.FAIL + final.counts.COMPLETE + final.counts.PRUNED).toBe(3);
    expect(progress.at(-1)?.sweep.state).toBe('done');
    await expect(h['sweeps:resume']({ projectDir: p.dir, sweepId: created.id })).rejects.toMatchObject({ code: 'Finished' });
    await expect(h['sweeps:stop']({ projectDir: p.dir, sweepId: created.id })).rejects.toMatchObject({ code: 'NotRunning' });
    await expect(h['sweeps:get']({ projectDir: p.dir, sweepId: 'sweep-nope' })).rejects.toMatchObject({ code: 'NotFound' });
    await host.shutdown();
  }, 60_000);
});

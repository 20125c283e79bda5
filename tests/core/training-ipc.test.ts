import { describe, expect, it } from 'vitest';
import { createTrainingHandlers } from '../../src/core/handlers/training-handlers';
import { createRunsHandlers } from '../../src/core/handlers/runs-handlers';
import { GenerationService } from '../../src/core/services/generation-service';
import { readMetrics } from '../../src/core/services/run-files';
import { RunsService } from '../../src/core/services/runs-service';
import { inProcessLauncher } from '../../src/core/training/in-process-launcher';
import { TrainingHost } from '../../src/core/training/training-host';
import { checkEvent, createDispatcher } from '../../src/main/router';
import type { Envelope } from '../../src/shared/errors';
import type { Handlers } from '../../src/shared/ipc/handlers';
import type { RunEvent, RunSummaryDto } from '../../src/shared/runs';
import { diskTrainingProject, numbers } from './training-fixtures';

const event = { sender: { id: 1 }, senderFrame: { url: 'file:///app/index.html', parent: null } };

describe('training over IPC', () => {
  // 30 epochs: long enough that the pause lands mid-run on any machine
  it('start, pause, step and resume through the router (trainer in a worker) give the losses of an uninterrupted run', async () => {
    const p = await diskTrainingProject();
    const reference = await (async () => {
      const id = await p.createRun({ epochs: 30 });
      const host = new TrainingHost({ fs: p.fs, launcher: inProcessLauncher(p.fs) });
      await host.start(p.dir, id);
      await host.wait(p.dir, id);
      return readMetrics(p.fs, p.dir, id);
    })();

    const events: RunEvent[] = [];
    const host = new TrainingHost({ fs: p.fs, emit: (e) => events.push(checkEvent('runs:update', e)) });
    const runs = new RunsService({ fs: p.fs, live: host });
    const handlers = { ...createRunsHandlers({ runs, generation: new GenerationService(p.fs) }), ...createTrainingHandlers({ host, runs }) } as unknown as Handlers;
    const dispatch = createDispatcher(handlers, () => null);
    const call = async (channel: string, payload: unknown): Promise<RunSummaryDto> => {
      const result = (await dispatch(event, channel, payload)) as Envelope<RunSummaryDto>;
      if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
      return result.value;
    };

    const id = await p.createRun({ epochs: 30 });
    const ref = { projectDir: p.dir, runId: id };
    expect((await call('runs:start', ref)).state).toBe('running');
    const paused = await call('runs:pause', ref);
    expect(paused.state).toBe('paused');
    const step = paused.progress!.step;
    const stepped = await call('runs:step', ref);
    expect(stepped.state).toBe('paused');
    expect(stepped.progress!.step).toBe(step + 1);
    const listed = await call('runs:list', { projectDir: p.dir }) as unknown as RunSummaryDto[];
    expect(listed.find((r) => r.id === id)!.progress!.step).toBe(step + 1);
    expect((await call('runs:resume', ref)).state).toBe('running');
    await host.wait(p.dir, id);

    const metrics = await readMetrics(p.fs, p.dir, id);
    expect(numbers(metrics, ['train', 'val', 'epoch'])).toEqual(numbers(reference, ['train', 'val', 'epoch']));
    expect(events.map((e) => e.state)).toEqual(expect.arrayContaining(['running', 'paused', 'done']));
    expect(events.at(-1)!.state).toBe('done');

    // wrong states come back as coded envelopes, bad payloads never reach the host
    await expect(call('runs:pause', ref)).rejects.toMatchObject({ code: 'NotRunning' });
    await expect(call('runs:resume', { ...ref, lr: -1 })).rejects.toMatchObject({ code: 'InvalidPayload' });
    const done = await call('runs:stop', ref).catch((e: { code: string }) => e.code);
    expect(done).toBe('NotRunning');
    await host.shutdown();
  });
});

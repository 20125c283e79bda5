/**
 * A trainer that stops answering the host (a hung worker, a helper thread it waits on forever)
 * must not take a stop, pause or the slot it holds down with it: after `commandTimeoutMs` the host
 * kills it and the run is `interrupted`, keeping its last checkpoint.
 */
import { describe, expect, it } from 'vitest';
import { listCheckpoints } from '../../src/core/store/checkpoints';
import { inProcessLauncher } from '../../src/core/training/in-process-launcher';
import type { HostMessage, TrainerChannel, TrainerLauncher, TrainJob } from '../../src/core/training/protocol';
import { TrainingHost } from '../../src/core/training/training-host';
import type { RunEvent } from '../../src/shared/runs';
import { memoryTrainingProject, type TrainingProject } from './training-fixtures';

/** The real in-process trainer, except that host commands of the given types never reach it. */
function deafTo(p: TrainingProject, deaf: readonly HostMessage['type'][], onJob?: (job: TrainJob) => void): { launcher: TrainerLauncher; terminated: string[] } {
  const real = inProcessLauncher(p.fs);
  const terminated: string[] = [];
  const launcher: TrainerLauncher = (job) => {
    onJob?.(job);
    const channel = real(job);
    const wrapped: TrainerChannel = {
      send: (m) => {
        if (!deaf.includes(m.type)) channel.send(m);
      },
      onMessage: (l) => channel.onMessage(l),
      onExit: (l) => channel.onExit(l),
      terminate: async () => {
        terminated.push(job.runId);
        await channel.terminate();
      },
    };
    return wrapped;
  };
  return { launcher, terminated };
}

function until(events: RunEvent[], test: (e: RunEvent) => boolean): Promise<RunEvent> {
  return new Promise((resolve) => {
    const tick = () => {
      const hit = events.find(test);
      if (hit) resolve(hit);
      else setTimeout(tick, 2);
    };
    tick();
  });
}

describe('training host command timeouts', () => {
  it('kills a trainer that does not answer stop within the timeout, leaves the run interrupted with its checkpoint, and frees the slot', async () => {
    const p = await memoryTrainingProject();
    const stuck = await p.createRun({ epochs: 400 });
    const next = await p.createRun({ epochs: 1 });
    const { launcher, terminated } = deafTo(p, ['stop']);
    const events: RunEvent[] = [];
    const host = new TrainingHost({ fs: p.fs, launcher, maxConcurrent: 1, eventIntervalMs: 0, commandTimeoutMs: 300, emit: (e) => events.push(e) });
    await host.start(p.dir, stuck);
    await host.start(p.dir, next); // queued behind it
    await until(events, (e) => e.runId === stuck && (e.progress?.epoch ?? 0) >= 2);
    const saved = (await listCheckpoints(p.fs, p.dir, stuck)).checkpoints.at(-1)!;

    const t0 = performance.now();
    const run = await host.stop(p.dir, stuck);
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(5000);
    expect(terminated).toEqual([stuck]);
    expect(run.state).toBe('interrupted');
    expect(run.message).toMatch(/did not answer “stop” within 300 ms and was stopped; the run keeps its last checkpoint/);
    expect(host.isActive(p.dir, stuck)).toBe(false);
    expect((await listCheckpoints(p.fs, p.dir, stuck)).checkpoints.at(-1)!.step).toBeGreaterThanOrEqual(saved.step);

    // the slot went to the queued run, which trains to the end
    expect((await host.wait(p.dir, next)).state).toBe('done');
    expect(events.filter((e) => e.runId === stuck).at(-1)!.state).toBe('interrupted');
  });

  it('kills a trainer that does not acknowledge pause, instead of waiting forever', async () => {
    const p = await memoryTrainingProject();
    const id = await p.createRun({ epochs: 400 });
    const { launcher, terminated } = deafTo(p, ['pause']);
    const events: RunEvent[] = [];
    const host = new TrainingHost({ fs: p.fs, launcher, eventIntervalMs: 0, commandTimeoutMs: 200, emit: (e) => events.push(e) });
    await host.start(p.dir, id);
    await until(events, (e) => e.runId === id && (e.progress?.step ?? 0) > 5);
    const run = await host.pause(p.dir, id);
    expect(terminated).toEqual([id]);
    expect(run.state).toBe('interrupted');
    expect(run.message).toMatch(/did not answer “pause”/);
    expect(host.isActive(p.dir, id)).toBe(false);
    expect((await host.wait(p.dir, id)).state).toBe('interrupted');
  });

  it('does not kill a trainer that answers in time', async () => {
    const p = await memoryTrainingProject();
    const id = await p.createRun({ epochs: 400 });
    const { launcher, terminated } = deafTo(p, []);
    const events: RunEvent[] = [];
    const host = new TrainingHost({ fs: p.fs, launcher, eventIntervalMs: 0, commandTimeoutMs: 5000, emit: (e) => events.push(e) });
    await host.start(p.dir, id);
    await until(events, (e) => e.runId === id && (e.progress?.step ?? 0) > 5);
    expect((await host.stop(p.dir, id)).state).toBe('done');
    expect(terminated).toEqual([]);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { createInspectHandlers } from '../../../src/core/inspect/inspect-handlers';
import { inProcessTasks, workerTasks } from '../../../src/core/tasks';
import { checkEvent } from '../../../src/main/router';
import type { InspectChunk, InspectDone, InspectMatches } from '../../../src/shared/inspect';
import type { EmitEvent } from '../../../src/shared/ipc/handlers';
import { requests } from '../../../src/shared/ipc/contract';
import { diskTrainingProject } from '../training-fixtures';
import { trained } from './fixtures';

const worker = workerTasks();
afterAll(() => worker.close());

/** Every event as the renderer would get it: checked against the contract first. */
function recorder() {
  const chunks: InspectChunk[] = [];
  const matches: InspectMatches[] = [];
  const done: InspectDone[] = [];
  let onDone: (d: InspectDone) => void = () => {};
  const emit: EmitEvent = (channel, payload) => {
    const event = checkEvent(channel, payload);
    if (channel === 'inspect:chunk') chunks.push(event as InspectChunk);
    else if (channel === 'inspect:matches') matches.push(event as InspectMatches);
    else if (channel === 'inspect:done') {
      done.push(event as InspectDone);
      onDone(event as InspectDone);
    }
  };
  const finished = () => new Promise<InspectDone>((resolve) => (done.length > 0 ? resolve(done[0]!) : (onDone = resolve)));
  return { emit, chunks, matches, done, finished };
}

const parse = <C extends keyof typeof requests>(channel: C, payload: unknown) => requests[channel].request.parse(payload) as never;

describe('inspect handlers', () => {
  it('streams the same chunks from the task worker as in this thread, as Float32Arrays, then one done', async () => {
    const p = await trained({ cell: 'lstm', numLayers: 2 });
    const request = { projectDir: p.dir, runId: p.runId, checkpoint: null, jobId: 'job-1', source: { kind: 'dataset', start: 0, count: 600 } };
    const runs = [];
    for (const tasks of [worker, inProcessTasks(p.fs)]) {
      const r = recorder();
      const header = await createInspectHandlers({ emit: r.emit, tasks })['inspect:start'](parse('inspect:start', request));
      expect(header).toMatchObject({ jobId: 'job-1', steps: 600, numLayers: 2, gates: ['i', 'f', 'g', 'o'] });
      expect(await r.finished()).toEqual({ jobId: 'job-1', status: 'done', processed: 600, error: null });
      expect(r.chunks.map((c) => c.start)).toEqual([0, 256, 512]);
      expect(r.chunks[2]!.layers[1]!.gates['f']!.data).toBeInstanceOf(Float32Array);
      runs.push(r.chunks);
    }
    expect(runs[0]).toEqual(runs[1]);
  });

  it('cancels a running inspection in the worker: done says cancelled, and no chunk follows it', async () => {
    const p = await trained({ cell: 'lstm', numLayers: 2, hiddenSize: 64 });
    const r = recorder();
    let cancelled: Promise<{ cancelled: boolean }> | null = null;
    // the renderer cancels as soon as the first chunk arrives
    const handlers = createInspectHandlers({
      emit: (channel, payload) => {
        r.emit(channel, payload);
        if (channel === 'inspect:chunk') cancelled ??= Promise.resolve(handlers['inspect:cancel']({ jobId: 'job-c' }));
      },
      tasks: worker,
    });
    await handlers['inspect:start'](parse('inspect:start', { projectDir: p.dir, runId: p.runId, checkpoint: null, jobId: 'job-c', source: { kind: 'dataset', start: 0, count: 3000 } }));
    const done = await r.finished();
    expect(await cancelled).toEqual({ cancelled: true });
    expect(done.status).toBe('cancelled');
    expect(done.processed).toBeLessThan(3000);
    expect(r.chunks.length * 256).toBe(done.processed);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.chunks.length * 256).toBe(done.processed);
    expect(await handlers['inspect:cancel']({ jobId: 'job-c' })).toEqual({ cancelled: false });
  });

  it('refuses a second job under a running id, and rejects (with no done) a job that fails before its header', async () => {
    const p = await trained({ cell: 'gru', numLayers: 1 });
    const r = recorder();
    const handlers = createInspectHandlers({ emit: r.emit, tasks: worker });
    const request = parse('inspect:start', { projectDir: p.dir, runId: p.runId, checkpoint: null, jobId: 'same', source: { kind: 'dataset', start: 0, count: 2000 } });
    const first = handlers['inspect:start'](request);
    await expect(Promise.resolve().then(() => handlers['inspect:start'](request))).rejects.toMatchObject({ code: 'JobRunning', details: { field: 'jobId' } });
    await first;
    await r.finished();

    const fresh = await diskTrainingProject();
    const untrained = await fresh.createRun();
    const r2 = recorder();
    const h2 = createInspectHandlers({ emit: r2.emit, tasks: worker });
    await expect(h2['inspect:start'](parse('inspect:start', { projectDir: fresh.dir, runId: untrained, checkpoint: null, jobId: 'x', source: { kind: 'text', text: 'the' } }))).rejects.toMatchObject({ code: 'NoCheckpoint' });
    expect(r2.done).toEqual([]);
  });

  it('streams match progress and a final list, then done', async () => {
    const p = await trained({ cell: 'gru', numLayers: 1 });
    const r = recorder();
    const handlers = createInspectHandlers({ emit: r.emit, tasks: worker });
    const start = await handlers['inspect:match'](parse('inspect:match', { projectDir: p.dir, runId: p.runId, checkpoint: null, jobId: 'm1', layer: 0, units: [0, 1], threshold: 0, length: 2, corpusTokens: 4500 }));
    expect(start).toMatchObject({ jobId: 'm1', separator: '' });
    const done = await r.finished();
    expect(done).toMatchObject({ jobId: 'm1', status: 'done', processed: start.corpusTokens });
    expect(r.matches.at(-1)!.scanned).toBe(start.corpusTokens);
    expect(r.matches.length).toBeGreaterThan(1);
  });

  it('ends a job with a failed done naming the cause when the worker dies under it', async () => {
    const p = await trained({ cell: 'lstm', numLayers: 2, hiddenSize: 64 });
    const own = workerTasks();
    const r = recorder();
    let closing: Promise<void> | null = null;
    const handlers = createInspectHandlers({
      emit: (channel, payload) => {
        r.emit(channel, payload);
        if (channel === 'inspect:chunk') closing ??= own.close();
      },
      tasks: own,
    });
    await handlers['inspect:start'](parse('inspect:start', { projectDir: p.dir, runId: p.runId, checkpoint: null, jobId: 'dies', source: { kind: 'dataset', start: 0, count: 3000 } }));
    const done = await r.finished();
    await closing;
    expect(done).toMatchObject({ jobId: 'dies', status: 'failed', error: { code: 'TaskWorkerFailed' } });
    expect(await handlers['inspect:cancel']({ jobId: 'dies' })).toEqual({ cancelled: false });
  });
});

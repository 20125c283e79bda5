import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createAppHandlers } from '../../src/core/app-handlers';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { createExportHandlers } from '../../src/core/handlers/export-handlers';
import { createDataHandlers } from '../../src/core/handlers/runs-handlers';
import { createDemoHandlers } from '../../src/core/handlers/demo-handlers';
import { DEMO_RUNS } from '../../src/core/demo/demo-recipe';
import { createTrainingHandlers } from '../../src/core/handlers/training-handlers';
import { guardWrites, WRITE_CHANNELS } from '../../src/core/handlers/write-guard';
import { createProjectServices } from '../../src/core/project-services';
import { ProjectWriter } from '../../src/core/project-writer';
import { LOCK_DIR, readLockHolder } from '../../src/core/store/project-lock';
import { readRun } from '../../src/core/store/runs';
import { inProcessLauncher } from '../../src/core/training/in-process-launcher';
import { TrainingHost } from '../../src/core/training/training-host';
import { createDispatcher, type InvokeEventLike } from '../../src/main/router';
import type { OpenedProject } from '../../src/shared/dto';
import type { Envelope } from '../../src/shared/errors';
import type { Handlers } from '../../src/shared/ipc/handlers';
import { unavailableHandlers } from '../helpers/unavailable-handlers';
import { diskTrainingProject } from './training-fixtures';
import { RESOURCES } from './demo-helpers';

const event: InvokeEventLike = { sender: { id: 1 }, senderFrame: { url: 'file:///app/index.html', parent: null } };
const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)']);
afterAll(() => sleeper.kill());

/** The app's handler table as src/main/index.ts builds it: writer lock, recovery on open, guarded writes. */
function app() {
  const fs = new NodeFileSystem();
  const appData = mkdtempSync(join(tmpdir(), 'rnnlab-appdata-'));
  const host = new TrainingHost({ fs, launcher: inProcessLauncher(fs) });
  const writer = new ProjectWriter({ fs, live: host });
  const services = createProjectServices(appData, fs, writer);
  const handlers = guardWrites(
    {
      ...unavailableHandlers(),
      ...createAppHandlers({ services, documentsDir: appData, version: 'test' }),
      ...createDataHandlers({ fs, emit: () => {}, live: host }),
      ...createTrainingHandlers({ host }),
      ...createExportHandlers({ fs, chooseSavePath: async () => null }),
      ...createDemoHandlers({ fs, appDataDir: appData, resourcesDir: RESOURCES, services }),
    } as Handlers,
    writer,
  );
  const dispatch = createDispatcher(handlers, () => null);
  const call = <T>(channel: string, payload: unknown) => dispatch(event, channel, payload) as Promise<Envelope<T>>;
  const value = async <T>(channel: string, payload: unknown): Promise<T> => {
    const res = await call<T>(channel, payload);
    if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`);
    return res.value;
  };
  return { fs, host, writer, call, value };
}

/** A project with one trained run (it has checkpoints), closed by the process that trained it. */
async function trainedProject() {
  const p = await diskTrainingProject();
  const runId = await p.createRun({ epochs: 1 });
  const trainer = new TrainingHost({ fs: p.fs, launcher: inProcessLauncher(p.fs) });
  await trainer.start(p.dir, runId);
  expect((await trainer.wait(p.dir, runId)).state).toBe('done');
  return { ...p, runId };
}

describe('crash recovery when the app opens a project', () => {
  it('marks a run left running as interrupted and removes stray temp files, and the run then resumes', async () => {
    const p = await trainedProject();
    // what a crash mid-training leaves: run.json still saying running, a half-written temp file
    const runJson = join(p.dir, 'runs', p.runId, 'run.json');
    writeFileSync(runJson, JSON.stringify({ ...JSON.parse(readFileSync(runJson, 'utf8')), state: 'running', finished: null }));
    const strays = [join(p.dir, 'runs', p.runId, '.run.json.tmp-1a2b3c4d'), join(p.dir, 'runs', p.runId, 'checkpoints', '.step-9.safetensors.tmp-5e6f7a8b')];
    for (const s of strays) writeFileSync(s, 'half');

    const a = app();
    const opened = await a.value<OpenedProject>('projects:open', { dir: p.dir });
    expect(opened.readOnly).toBeNull();
    expect(opened.runs).toEqual([expect.objectContaining({ id: p.runId, state: 'interrupted' })]);
    expect(strays.map(existsSync)).toEqual([false, false]);

    await a.value('runs:resume', { projectDir: p.dir, runId: p.runId, epochs: 2 });
    expect((await a.host.wait(p.dir, p.runId)).state).toBe('done');
    await a.value('runs:delete', { projectDir: p.dir, runId: p.runId });
    expect(await a.value('runs:list', { projectDir: p.dir })).toEqual([]);
    await a.writer.releaseAll();
  }, 30_000);

  it('lets the app stop a recovered run', async () => {
    const p = await trainedProject();
    const runJson = join(p.dir, 'runs', p.runId, 'run.json');
    writeFileSync(runJson, JSON.stringify({ ...JSON.parse(readFileSync(runJson, 'utf8')), state: 'running', finished: null }));
    const a = app();
    await a.value('projects:open', { dir: p.dir });
    await a.value('runs:stop', { projectDir: p.dir, runId: p.runId });
    expect((await readRun(p.fs, p.dir, p.runId)).state).toBe('done');
    await a.writer.releaseAll();
  }, 30_000);
});

describe('crash recovery when the app opens the demo project', () => {
  it('takes the demo copy’s lock and marks its run left running as interrupted', async () => {
    const a = app();
    const first = await a.value<OpenedProject>('demo:open', undefined);
    expect(first.readOnly).toBeNull();
    expect(await readLockHolder(first.project.dir)).toMatchObject({ pid: process.pid });
    const other = await diskTrainingProject();
    await a.value('projects:open', { dir: other.dir }); // the demo's lock goes
    const runId = DEMO_RUNS[0]!.id;
    const runJson = join(first.project.dir, 'runs', runId, 'run.json');
    writeFileSync(runJson, JSON.stringify({ ...JSON.parse(readFileSync(runJson, 'utf8')), state: 'running', finished: null }));
    const stray = join(first.project.dir, 'runs', runId, '.run.json.tmp-0badf00d');
    writeFileSync(stray, 'half');

    const again = await a.value<OpenedProject>('demo:open', undefined);
    expect(again.project.dir).toBe(first.project.dir);
    expect(again.runs.find((r) => r.id === runId)?.state).toBe('interrupted');
    expect(existsSync(stray)).toBe(false);
    await a.writer.releaseAll();
  }, 30_000);
});

describe('a project another process writes to opens read-only', () => {
  it('names the holder when opened, refuses every write channel with ReadOnlyProject, and changes nothing', async () => {
    const p = await trainedProject();
    const runJson = join(p.dir, 'runs', p.runId, 'run.json');
    writeFileSync(runJson, JSON.stringify({ ...JSON.parse(readFileSync(runJson, 'utf8')), state: 'running', finished: null }));
    const stray = join(p.dir, 'runs', p.runId, '.run.json.tmp-1a2b3c4d');
    writeFileSync(stray, 'theirs');
    const holder = { pid: sleeper.pid!, host: hostname(), since: '2026-12-01T10:00:00.000Z' };
    mkdirSync(join(p.dir, LOCK_DIR));
    writeFileSync(join(p.dir, LOCK_DIR, 'owner.json'), JSON.stringify(holder));

    const a = app();
    const opened = await a.value<OpenedProject>('projects:open', { dir: p.dir });
    expect(opened.readOnly).toEqual(holder);
    // the other process owns its runs and files: no recovery here
    expect(opened.runs).toEqual([expect.objectContaining({ id: p.runId, state: 'running' })]);
    expect(existsSync(stray)).toBe(true);

    const { projectDir, runId, datasetId } = { projectDir: p.dir, runId: p.runId, datasetId: p.datasetId };
    const file = join(p.dir, 'nothing.txt');
    const requests: Record<(typeof WRITE_CHANNELS)[number], unknown> = {
      'runs:create': { projectDir, config: { datasetId } },
      'runs:start': { projectDir, runId },
      'runs:resume': { projectDir, runId },
      'runs:step': { projectDir, runId },
      'runs:stop': { projectDir, runId },
      'runs:rename': { projectDir, runId, name: 'mine' },
      'runs:delete': { projectDir, runId },
      'datasets:import': { projectDir, filePath: file },
      'datasets:rename': { projectDir, datasetId, name: 'mine' },
      'datasets:delete': { projectDir, datasetId },
      'import:weights': { projectDir, jsonPath: file },
      'forecast:create': { projectDir, config: { task: 'forecast', datasetId, target: 'x' } },
      'import:pytorchRun': { projectDir },
      'sweeps:create': { projectDir, config: { datasetId, space: { lr: { values: [0.1, 1] } } } },
      'sweeps:stop': { projectDir, sweepId: 's1' },
      'sweeps:resume': { projectDir, sweepId: 's1' },
    };
    const before = { runs: await a.value('runs:list', { projectDir }), dataset: await a.value('datasets:get', { projectDir, datasetId }) };
    for (const [channel, payload] of Object.entries(requests)) {
      const res = await a.call(channel, payload);
      expect(res.ok ? 'ok' : res.error.code, channel).toBe('ReadOnlyProject');
      if (!res.ok) {
        expect(res.error.message).toMatch(new RegExp(`^Another RNN Lab process \\(pid ${holder.pid} on host ${hostname()}, since 2026-12-01 10:00:00 UTC\\) is writing to this project; it is open read-only`));
        expect(res.error.details).toMatchObject({ projectDir, pid: holder.pid, host: holder.host, since: holder.since });
      }
    }
    // reads still work, and nothing changed
    expect({ runs: await a.value('runs:list', { projectDir }), dataset: await a.value('datasets:get', { projectDir, datasetId }) }).toEqual(before);
    expect(before.runs).toEqual([expect.objectContaining({ id: runId, state: 'running' })]);
    // the time estimate only reads: a read-only project still gets one
    const estimate = await a.call<{ seconds: number }>('runs:estimate', { projectDir, config: { datasetId, hiddenSize: 8, batchSize: 2, numSteps: 5, epochs: 2 } });
    expect(estimate.ok && estimate.value.seconds).toBeGreaterThan(0);
    expect(await readLockHolder(p.dir)).toEqual(holder);
  }, 30_000);
});

describe('the app keeps one project lock at a time', () => {
  it('releases the previous project’s lock when another opens, and every lock on quit', async () => {
    const [p, q] = [await diskTrainingProject(), await diskTrainingProject()];
    const a = app();
    await a.value('projects:open', { dir: p.dir });
    expect(await readLockHolder(p.dir)).toMatchObject({ pid: process.pid });
    await a.value('projects:open', { dir: q.dir });
    expect(await readLockHolder(p.dir)).toBeNull();
    expect(await readLockHolder(q.dir)).toMatchObject({ pid: process.pid });
    await a.writer.releaseAll();
    expect(await readLockHolder(q.dir)).toBeNull();
  });

  it('keeps the lock of a project whose run still trains until the run ends', async () => {
    const [p, q] = [await diskTrainingProject(), await diskTrainingProject()];
    const runId = await p.createRun({ epochs: 3 });
    const a = app();
    await a.value('projects:open', { dir: p.dir });
    await a.value('runs:start', { projectDir: p.dir, runId });
    await a.value('projects:open', { dir: q.dir });
    expect(await readLockHolder(p.dir)).toMatchObject({ pid: process.pid });
    expect((await a.host.wait(p.dir, runId)).state).toBe('done');
    await vi.waitFor(async () => expect(await readLockHolder(p.dir)).toBeNull());
    await a.writer.releaseAll();
  }, 30_000);
});

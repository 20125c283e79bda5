import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppHandlers } from '../../src/core/app-handlers';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { createDataHandlers } from '../../src/core/handlers/runs-handlers';
import { createProjectServices } from '../../src/core/project-services';
import { datasetDir, runFile } from '../../src/core/store/layout';
import { createProject } from '../../src/core/store/project';
import { checkEvent, createDispatcher, type InvokeEventLike } from '../../src/main/router';
import type { OpenedProject } from '../../src/shared/dto';
import type { DatasetRecord } from '../../src/shared/datasets';
import type { Envelope } from '../../src/shared/errors';
import type { Handlers } from '../../src/shared/ipc/handlers';
import type { RunDetail, RunSummaryDto } from '../../src/shared/runs';
import { unavailableHandlers } from '../helpers/unavailable-handlers';

const event: InvokeEventLike = { sender: { id: 1 }, senderFrame: { url: 'file:///app/index.html', parent: null } };

/** A real project with a dataset and six runs, five of them damaged in a different way. */
async function damagedProject() {
  const root = mkdtempSync(join(tmpdir(), 'rnnlab-damaged-'));
  const fs = new NodeFileSystem();
  const projectDir = join(root, 'demo.rnnlab');
  await createProject(fs, projectDir, 'Demo');
  const handlers = {
    ...unavailableHandlers(),
    ...createAppHandlers({ services: createProjectServices(join(root, 'app-data'), fs), documentsDir: root, version: '0.0.0' }),
    ...createDataHandlers({ fs, emit: (c, p) => void checkEvent(c, p) }),
  } as Handlers;
  const dispatch = createDispatcher(handlers, () => null);
  const call = <T>(channel: string, payload: unknown) => dispatch(event, channel, payload) as Promise<Envelope<T>>;
  const value = async <T>(channel: string, payload: unknown): Promise<T> => {
    const res = await call<T>(channel, payload);
    if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`);
    return res.value;
  };

  writeFileSync(join(root, 'tm.txt'), 'the time machine by h g wells. the time traveller was expounding. '.repeat(30));
  const dataset = await value<DatasetRecord>('datasets:import', { projectDir, filePath: join(root, 'tm.txt') });
  const runs: Record<string, string> = {};
  for (const name of ['good', 'garbageRunJson', 'loopRunJson', 'garbageLog', 'dirLog', 'loopLog']) {
    runs[name] = (await value<RunSummaryDto>('runs:create', { projectDir, config: { datasetId: dataset.id, name, hiddenSize: 8, batchSize: 2, numSteps: 5 } })).id;
  }
  const path = (name: string, file: string) => runFile(projectDir, runs[name]!, file);
  writeFileSync(path('garbageRunJson', 'run.json'), '{"formatVersion": 1, "id": ');
  rmSync(path('loopRunJson', 'run.json'));
  symlinkSync(path('loopRunJson', 'run.json'), path('loopRunJson', 'run.json')); // ELOOP: unreadable, even for root
  writeFileSync(path('garbageLog', 'metrics.log'), new Uint8Array(4096).fill(0xab));
  rmSync(path('dirLog', 'metrics.log'));
  mkdirSync(path('dirLog', 'metrics.log'));
  rmSync(path('loopLog', 'samples.log'));
  symlinkSync(path('loopLog', 'samples.log'), path('loopLog', 'samples.log'));
  return { root, fs, projectDir, dataset, runs, call, value };
}

describe('one damaged run does not break the project', () => {
  it('projects:open lists the healthy runs and names each damaged run and file as a problem', async () => {
    const { projectDir, runs, value } = await damagedProject();
    const opened = await value<OpenedProject>('projects:open', { dir: projectDir });
    // a damaged run.json hides the run (its state is unknown); a damaged log does not
    expect(opened.runs.map((r) => r.id).sort()).toEqual([runs.good, runs.garbageLog, runs.dirLog, runs.loopLog].sort());
    const problems = Object.fromEntries(opened.problems.map((p) => [p.id, p]));
    expect(opened.problems).toHaveLength(5);
    expect(problems[runs.garbageRunJson!]).toMatchObject({ kind: 'run', code: 'CorruptRun', message: 'This run is damaged: run.json is not valid JSON.' });
    expect(problems[runs.loopRunJson!]).toMatchObject({ kind: 'run', code: 'CorruptRun', message: 'This run is damaged: run.json cannot be read.' });
    expect(problems[runs.garbageLog!]).toMatchObject({ kind: 'run', code: 'CorruptLog', message: "This run's log is damaged: metrics.log does not start like an RNN Lab log." });
    expect(problems[runs.dirLog!]).toMatchObject({ kind: 'run', code: 'CorruptLog', message: "This run's log is damaged: metrics.log is not a regular file." });
    expect(problems[runs.loopLog!]).toMatchObject({ kind: 'run', code: 'CorruptLog', message: "This run's log is damaged: samples.log cannot be read." });
  });

  it('runs:list loads every readable run; runs:get answers for the healthy run and names the file for a damaged one', async () => {
    const { projectDir, runs, call, value } = await damagedProject();
    const listed = await value<RunSummaryDto[]>('runs:list', { projectDir });
    expect(listed.map((r) => r.id).sort()).toEqual([runs.good, runs.garbageLog, runs.dirLog, runs.loopLog].sort());

    expect((await value<RunDetail>('runs:get', { projectDir, runId: runs.good })).run.id).toBe(runs.good);
    const errorOf = async (runId: string) => {
      const res = await call<RunDetail>('runs:get', { projectDir, runId });
      return res.ok ? null : res.error;
    };
    expect(await errorOf(runs.garbageRunJson!)).toMatchObject({ code: 'CorruptRun', message: expect.stringContaining('run.json') });
    expect(await errorOf(runs.loopRunJson!)).toMatchObject({ code: 'CorruptRun', message: expect.stringContaining('run.json cannot be read') });
    expect(await errorOf(runs.garbageLog!)).toMatchObject({ code: 'CorruptLog', message: expect.stringContaining('metrics.log'), details: { id: runs.garbageLog, file: 'metrics.log' } });
    expect(await errorOf(runs.dirLog!)).toMatchObject({ code: 'CorruptLog', details: { id: runs.dirLog, file: 'metrics.log', reason: 'NotAFile' } });
    expect(await errorOf(runs.loopLog!)).toMatchObject({ code: 'CorruptLog', details: { id: runs.loopLog, file: 'samples.log', reason: 'Unreadable' } });

    // and every damaged run can still be deleted
    for (const name of ['garbageRunJson', 'loopRunJson', 'garbageLog', 'dirLog', 'loopLog']) {
      expect(await value('runs:delete', { projectDir, runId: runs[name] })).toEqual({ deleted: true });
    }
    expect((await value<RunSummaryDto[]>('runs:list', { projectDir })).map((r) => r.id)).toEqual([runs.good]);
  });

  it('a dataset whose dataset.json cannot be read is a problem, not a failed open', async () => {
    const { projectDir, dataset, value } = await damagedProject();
    const file = join(datasetDir(projectDir, dataset.id), 'dataset.json');
    rmSync(file);
    symlinkSync(file, file);
    const opened = await value<OpenedProject>('projects:open', { dir: projectDir });
    expect(opened.datasets).toEqual([]);
    expect(opened.problems).toContainEqual({ kind: 'dataset', id: dataset.id, code: 'CorruptDataset', message: 'This dataset is damaged: dataset.json cannot be read.' });
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { createDataHandlers } from '../../src/core/handlers/runs-handlers';
import { unavailableHandlers } from '../helpers/unavailable-handlers';
import { createProject } from '../../src/core/store/project';
import { checkEvent, createDispatcher, type InvokeEventLike } from '../../src/main/router';
import type { Envelope } from '../../src/shared/errors';
import type { EmitEvent, Handlers } from '../../src/shared/ipc/handlers';
import type { DatasetRecord, ImportProgress, VocabularyView } from '../../src/shared/datasets';
import type { RunDetail, RunSummaryDto } from '../../src/shared/runs';

const event: InvokeEventLike = { sender: { id: 1 }, senderFrame: { url: 'file:///app/index.html', parent: null } };

async function setup() {
  const root = mkdtempSync(join(tmpdir(), 'rnnlab-handlers-'));
  const fs = new NodeFileSystem();
  const projectDir = join(root, 'demo.rnnlab');
  await createProject(fs, projectDir, 'Demo');
  const progress: ImportProgress[] = [];
  // events pass the contract's validator, as the main process sends them
  const emit: EmitEvent = (channel, payload) => {
    const checked = checkEvent(channel, payload);
    if (channel === 'datasets:importProgress') progress.push(checked as ImportProgress);
  };
  const handlers = { ...unavailableHandlers(), ...createDataHandlers({ fs, emit }) } as Handlers;
  const dispatch = createDispatcher(handlers, () => null);
  const call = <T>(channel: string, payload: unknown) => dispatch(event, channel, payload) as Promise<Envelope<T>>;
  const value = async <T>(channel: string, payload: unknown): Promise<T> => {
    const res = await call<T>(channel, payload);
    if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`);
    return res.value;
  };
  return { root, projectDir, progress, call, value };
}

describe('data handlers through the IPC router', () => {
  it('imports, views the vocabulary, creates, lists, reads, renames and deletes a run', async () => {
    const { root, projectDir, progress, call, value } = await setup();
    const filePath = join(root, 'tm.txt');
    writeFileSync(filePath, 'the time machine by h g wells. the time traveller was expounding. '.repeat(30));
    const dataset = await value<DatasetRecord>('datasets:import', { projectDir, filePath, name: 'Time machine' });
    expect(dataset).toMatchObject({ name: 'Time machine', kind: 'text' });
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]).toMatchObject({ projectDir, filePath, totalBytes: dataset.source.bytes });

    expect(await value('datasets:get', { projectDir, datasetId: dataset.id })).toEqual(dataset);
    const view = await value<VocabularyView>('datasets:vocabulary', { projectDir, datasetId: dataset.id, tokenizer: 'char', cleaning: 'letters', minFreq: 1 });
    expect(view.vocabSize).toBe(view.distinct + 1);
    const preview = await value<{ text: string; truncated: boolean }>('datasets:preview', { projectDir, datasetId: dataset.id, cleaning: 'none', maxChars: 8 });
    expect(preview).toMatchObject({ text: 'the time', truncated: true });

    const run = await value<RunSummaryDto>('runs:create', { projectDir, config: { datasetId: dataset.id, name: 'first', hiddenSize: 8, batchSize: 2, numSteps: 5 } });
    expect(run).toMatchObject({ name: 'first', state: 'queued' });
    expect(await value<RunSummaryDto[]>('runs:list', { projectDir })).toEqual([run]);
    const detail = await value<RunDetail>('runs:get', { projectDir, runId: run.id });
    expect(detail).toMatchObject({ metrics: [], samples: [], checkpoints: [], divergence: null, kernels: null, baselines: { uniform: view.vocabSize } });

    const generated = await call('generate:text', { projectDir, runId: run.id, checkpoint: null, prefix: 'the', length: 5, decoding: { mode: 'greedy' }, seed: 1 });
    expect(generated).toMatchObject({ ok: false, error: { code: 'NoCheckpoint' } });
    expect(await value('runs:rename', { projectDir, runId: run.id, name: 'second' })).toMatchObject({ name: 'second' });
    expect(await call('datasets:delete', { projectDir, datasetId: dataset.id })).toMatchObject({ ok: false, error: { code: 'DatasetInUse' } });
    expect(await value('runs:delete', { projectDir, runId: run.id })).toEqual({ deleted: true });
    expect(await value('datasets:delete', { projectDir, datasetId: dataset.id })).toEqual({ deleted: true });
    expect(await call('datasets:get', { projectDir, datasetId: dataset.id })).toMatchObject({ ok: false, error: { code: 'NotFound' } });
  });

  it('refuses malformed payloads before any handler runs, and CSV runs with a coded sentence', async () => {
    const { root, projectDir, call, value } = await setup();
    expect(await call('datasets:vocabulary', { projectDir, datasetId: 'ds-x', tokenizer: 'char', cleaning: 'letters', minFreq: 0 })).toMatchObject({ ok: false, error: { code: 'InvalidPayload' } });
    expect(await call('datasets:get', { projectDir, datasetId: '../escape' })).toMatchObject({ ok: false, error: { code: 'InvalidPayload' } });
    expect(await call('generate:text', { projectDir, runId: 'r', checkpoint: null, prefix: 'a', length: 1, decoding: { mode: 'sample', temperature: 0 }, seed: 0 })).toMatchObject({ ok: false, error: { code: 'InvalidPayload' } });
    expect(await call('runs:create', { projectDir, config: { datasetId: 'ds-x', hiddenSize: -1 } })).toMatchObject({ ok: false, error: { code: 'InvalidPayload' } });

    const filePath = join(root, 'series.csv');
    writeFileSync(filePath, 'day,value\n1,2.5\n2,3.5\n3,4.5\n');
    const csv = await value<DatasetRecord>('datasets:import', { projectDir, filePath });
    const refused = await call('runs:create', { projectDir, config: { datasetId: csv.id } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UnsupportedDataset', message: expect.stringContaining('text') } });
    expect(await call('datasets:import', { projectDir, filePath: join(root, 'missing.txt') })).toMatchObject({ ok: false, error: { code: 'NotFound' } });
  });
});

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createExportHandlers, type SavePurpose } from '../../src/core/handlers/export-handlers';
import { createDataHandlers } from '../../src/core/handlers/runs-handlers';
import { createDispatcher, type InvokeEventLike } from '../../src/main/router';
import type { Envelope } from '../../src/shared/errors';
import type { Handlers } from '../../src/shared/ipc/handlers';
import type { RunDetail, RunSummaryDto } from '../../src/shared/runs';
import { corpus, diskTrainingProject } from '../core/training-fixtures';
import { fakeTrainResult } from './elsewhere-fixture';

const event: InvokeEventLike = { sender: { id: 1 }, senderFrame: { url: 'file:///app/index.html', parent: null } };

describe('"Train elsewhere" through the IPC router', () => {
  it('writes the folder the save dialog names, imports the folder the folder dialog names, and does nothing when either is cancelled', async () => {
    const project = await diskTrainingProject(corpus(3000, 5));
    const runId = await project.createRun({ hiddenSize: 8 });
    const asked: Array<{ purpose: SavePurpose; suggestedName: string }> = [];
    let savePath: string | null = null;
    let folder: string | null = null;
    const handlers = {
      ...createDataHandlers({ fs: project.fs, emit: () => {} }),
      ...createExportHandlers({ fs: project.fs, chooseSavePath: async (purpose, suggestedName) => (asked.push({ purpose, suggestedName }), savePath), chooseFolder: async () => folder }),
    } as unknown as Handlers;
    const dispatch = createDispatcher(handlers, () => null);
    const call = <T>(channel: string, payload: unknown) => dispatch(event, channel, payload) as Promise<Envelope<T>>;
    const projectDir = project.dir;

    expect(await call('export:pytorchRun', { projectDir, runId })).toEqual({ ok: true, value: { path: null, files: [] } });
    expect(asked).toEqual([{ purpose: 'export-pytorch-run', suggestedName: 'run-pytorch' }]);
    savePath = join(mkdtempSync(join(tmpdir(), 'rnnlab-elsewhere-ipc-')), 'run-pytorch');
    const exported = await call<{ path: string; files: Array<{ path: string }> }>('export:pytorchRun', { projectDir, runId });
    expect(exported.ok && exported.value.files.map((f) => f.path.slice(savePath!.length + 1))).toEqual(
      ['train.py', 'config.json', 'vocab.json', 'train.bin', 'val.bin', 'initial.safetensors', 'README.md', 'train.slurm'],
    );

    const before = (await call<RunSummaryDto[]>('runs:list', { projectDir }));
    expect(await call('import:pytorchRun', { projectDir })).toEqual({ ok: true, value: { run: null } });
    expect(await call('runs:list', { projectDir })).toEqual(before);
    folder = fakeTrainResult(savePath);
    const imported = await call<{ run: RunSummaryDto }>('import:pytorchRun', { projectDir, name: 'From the cluster' });
    expect(imported).toMatchObject({ ok: true, value: { run: { name: 'From the cluster', state: 'done' } } });
    const detail = await call<RunDetail>('runs:get', { projectDir, runId: imported.ok ? imported.value.run.id : '' });
    expect(detail.ok && detail.value.metrics.map((m) => m.kind)).toEqual(['train', 'val', 'epoch']);
    expect(existsSync(join(savePath, 'README.md'))).toBe(true);
  });
});

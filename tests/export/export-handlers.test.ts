import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createExportHandlers, type SavePurpose } from '../../src/core/handlers/export-handlers';
import { createDataHandlers } from '../../src/core/handlers/runs-handlers';
import { createDispatcher, type InvokeEventLike } from '../../src/main/router';
import type { Envelope } from '../../src/shared/errors';
import type { Handlers } from '../../src/shared/ipc/handlers';
import type { RunDetail, RunSummaryDto } from '../../src/shared/runs';
import { trainedProject } from './project-fixture';

const event: InvokeEventLike = { sender: { id: 1 }, senderFrame: { url: 'file:///app/index.html', parent: null } };

async function setup() {
  const project = await trainedProject();
  const out = mkdtempSync(join(tmpdir(), 'rnnlab-export-ipc-'));
  const asked: Array<{ purpose: SavePurpose; suggestedName: string }> = [];
  let answer: string | null = null;
  const handlers = {
    ...createDataHandlers({ fs: project.fs, emit: () => {} }),
    ...createExportHandlers({ fs: project.fs, chooseSavePath: async (purpose, suggestedName) => (asked.push({ purpose, suggestedName }), answer) }),
  } as unknown as Handlers;
  const dispatch = createDispatcher(handlers, () => null);
  const call = <T>(channel: string, payload: unknown) => dispatch(event, channel, payload) as Promise<Envelope<T>>;
  return { ...project, out, asked, answer: (path: string | null) => (answer = path), call };
}

describe('export and import channels through the IPC router', () => {
  it('exports to the path the save dialog returns, and does nothing when it is cancelled', async () => {
    const { dir, runId, out, asked, answer, call } = await setup();
    const cancelled = await call('export:run', { projectDir: dir, runId, checkpoint: null, format: 'onnx' });
    expect(cancelled).toEqual({ ok: true, value: { path: null, checkpoint: null, files: [] } });
    expect(asked).toEqual([{ purpose: 'export-onnx', suggestedName: 'run.onnx' }]);

    answer(join(out, 'model.safetensors'));
    const done = await call<{ path: string; checkpoint: string; files: Array<{ path: string; bytes: number }> }>('export:run', { projectDir: dir, runId, checkpoint: null, format: 'safetensors' });
    expect(done.ok && done.value.files.map((f) => f.path)).toEqual([join(out, 'model.safetensors'), join(out, 'model.config.json'), join(out, 'model.vocab.json')]);

    const imported = await call<RunSummaryDto>('import:weights', { projectDir: dir, weightsPath: join(out, 'model.safetensors'), configPath: join(out, 'model.config.json'), vocabPath: join(out, 'model.vocab.json'), name: 'Back again' });
    expect(imported).toMatchObject({ ok: true, value: { name: 'Back again', state: 'done', progress: null } });
    const detail = await call<RunDetail>('runs:get', { projectDir: dir, runId: imported.ok ? imported.value.id : '' });
    expect(detail).toMatchObject({ ok: true, value: { checkpoints: [{ name: 'step-000000000000.safetensors', step: 0 }] } });
  });

  it('answers a run without weights before asking for a path, and validates payloads', async () => {
    const { dir, asked, createRun, call } = await setup();
    const fresh = await createRun();
    const res = await call('export:run', { projectDir: dir, runId: fresh, checkpoint: null, format: 'html' });
    expect(res).toMatchObject({ ok: false, error: { code: 'NoCheckpoint' } });
    expect(asked).toEqual([]);
    expect(await call('export:run', { projectDir: dir, runId: fresh, checkpoint: null, format: 'pickle' })).toMatchObject({ ok: false, error: { code: 'InvalidPayload' } });
    expect(await call('import:weights', { projectDir: dir, weightsPath: 'relative.safetensors', configPath: '/c.json', vocabPath: '/v.json' })).toMatchObject({ ok: false, error: { code: 'RelativePath' } });
    expect(await call('import:weights', { projectDir: dir, weightsPath: '/w.safetensors', jsonPath: '/m.json' })).toMatchObject({ ok: false, error: { code: 'InvalidPayload' } });
    const missing = await call('import:weights', { projectDir: dir, jsonPath: join(dir, 'nope.json') });
    expect(missing).toMatchObject({ ok: false, error: { code: 'UnreadableFile' } });
  });
});

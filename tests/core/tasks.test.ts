import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { guardWrites } from '../../src/core/handlers/write-guard';
import { createDataHandlers } from '../../src/core/handlers/runs-handlers';
import { loadRunData, parseRunConfig } from '../../src/core/services/run-data';
import { ServiceError } from '../../src/core/services/service-error';
import { saveCheckpoint } from '../../src/core/store/checkpoints';
import { runFile } from '../../src/core/store/layout';
import { inProcessTasks, taskWorkerSpec, workerTasks, type Tasks } from '../../src/core/tasks';
import { toCheckpointBundle, Trainer, trainerOptionsFromRunConfig } from '../../src/engine/train';
import { AppError } from '../../src/shared/errors';
import { toWireError } from '../../src/main/router';
import { corpus, diskTrainingProject, TINY } from './training-fixtures';

const worker = workerTasks();
afterAll(() => worker.close());

const config = (datasetId: string) => ({ ...TINY, datasetId, name: 'in a worker', maxTokens: 1500 });

async function trainedRun() {
  const p = await diskTrainingProject(corpus(4000));
  const id = await p.createRun({ maxTokens: 2000 });
  const data = await loadRunData(p.fs, p.dir, id);
  const trainer = new Trainer(trainerOptionsFromRunConfig(data.config), { train: data.train, val: data.val, vocabSize: data.vocab.size });
  for (let i = 0; i < 3; i++) trainer.trainStep();
  await saveCheckpoint(p.fs, p.dir, id, toCheckpointBundle(trainer.exportState(), { valPerplexity: 9 }));
  return { ...p, id };
}

describe('task worker', () => {
  it('creates a run with the same summary and vocab.json as in this thread', async () => {
    const text = corpus(6000, 11);
    const results = [];
    for (const tasks of [worker, inProcessTasks(new NodeFileSystem())]) {
      const p = await diskTrainingProject(text);
      const summary = await tasks.run('runs:create', p.dir, config(p.datasetId));
      const vocab = JSON.parse(readFileSync(runFile(p.dir, summary.id, 'vocab.json'), 'utf8')) as { dataset: unknown };
      results.push({ summary: { ...summary, id: '', created: '' }, vocab: { ...vocab, dataset: null } });
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]!.summary).toMatchObject({ name: 'in a worker', state: 'queued' });
  });

  it('generates and scores exactly as in this thread', async () => {
    const p = await trainedRun();
    const local = inProcessTasks(p.fs);
    const request = { projectDir: p.dir, runId: p.id, checkpoint: null, prefix: 'the time', length: 40, decoding: { mode: 'sample' as const, temperature: 0.9, topK: 0, topP: 1 }, seed: 5 };
    const a = await worker.run('generate:text', request);
    expect(a.tokens).toHaveLength(40);
    expect(a).toEqual(await local.run('generate:text', request));
    const score = { projectDir: p.dir, runId: p.id, checkpoint: null, text: 'the time traveller said' };
    expect(await worker.run('generate:score', score)).toEqual(await local.run('generate:score', score));
  });

  it('rejects with the error class and code the service threw, so the router maps it as before', async () => {
    const p = await diskTrainingProject();
    const missing = await worker.run('runs:create', p.dir, config('ds-missing')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ServiceError);
    expect(missing).toBeInstanceOf(AppError);
    expect(missing).toMatchObject({ code: 'DatasetNotFound', details: { datasetId: 'ds-missing' } });
    const local = await inProcessTasks(p.fs).run('runs:create', p.dir, config('ds-missing')).catch((e: unknown) => e);
    expect(toWireError(missing)).toEqual(toWireError(local));

    const id = await p.createRun();
    const noCheckpoint = await worker.run('generate:text', { projectDir: p.dir, runId: id, checkpoint: null, prefix: 'the', length: 5, decoding: { mode: 'greedy' }, seed: 1 }).catch((e: unknown) => e);
    expect(noCheckpoint).toBeInstanceOf(ServiceError);
    expect(noCheckpoint).toMatchObject({ code: 'NoCheckpoint' });
  });

  it('is reached only after the write guard lets a request through', async () => {
    const p = await diskTrainingProject();
    const called: string[] = [];
    const spy: Tasks = { run: async (name: string) => void called.push(name) as never, stream: () => { throw new Error('no stream'); }, close: async () => {} } as Tasks;
    const handlers = guardWrites(createDataHandlers({ fs: p.fs, emit: () => {}, tasks: spy }), {
      assertWritable: async () => {
        throw new AppError('ReadOnlyProject', 'Another RNN Lab process writes to this project.');
      },
    });
    await expect(handlers['runs:create']({ projectDir: p.dir, config: parseRunConfig(config(p.datasetId)) })).rejects.toMatchObject({ code: 'ReadOnlyProject' });
    expect(called).toEqual([]);
  });

  it('loads task-worker.js beside the bundled main process when built', () => {
    const spec = taskWorkerSpec('file:///opt/rnn-lab/resources/app/out/main/index.js');
    expect(spec.url.href).toBe('file:///opt/rnn-lab/resources/app/out/main/task-worker.js');
  });
});

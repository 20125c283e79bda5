/**
 * Main-thread responsiveness while the heavy work of the app runs: event-loop delay
 * (`perf_hooks.monitorEventLoopDelay`) of this thread while a run is created on a 200 MB corpus
 * and a 10,000-token sample is generated at the same time, once through the task worker (what the
 * app does) and once in this thread (what it did before), side by side in one run.
 *
 * `npm run bench -- event-loop [--mb 200] [--tokens 10000] [--hidden 128]`
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importDataset } from '../src/core/datasets/import-dataset';
import { NodeFileSystem } from '../src/core/fs/node-file-system';
import { loadRunData } from '../src/core/services/run-data';
import { RunsService } from '../src/core/services/runs-service';
import { saveCheckpoint } from '../src/core/store/checkpoints';
import { createProject } from '../src/core/store/project';
import { inProcessTasks, workerTasks, type Tasks } from '../src/core/tasks';
import { toCheckpointBundle, Trainer, trainerOptionsFromRunConfig } from '../src/engine/train';
import { writeCorpusFile } from './lib/corpus-file';

const MB = 1024 * 1024;
const { values } = parseArgs({ options: { mb: { type: 'string', default: '200' }, tokens: { type: 'string', default: '10000' }, hidden: { type: 'string', default: '128' } } });

const fs = new NodeFileSystem();
const dir = await mkdtemp(join(tmpdir(), 'rnnlab-event-loop-'));

/** A project with the big corpus and a small run trained a few minibatches, checkpointed. */
async function setUp() {
  const project = join(dir, 'bench.rnnlab');
  await createProject(fs, project, 'Event loop');
  await writeCorpusFile(join(dir, 'big.txt'), Number(values.mb) * MB);
  await writeCorpusFile(join(dir, 'small.txt'), 200_000);
  const big = await importDataset(fs, project, join(dir, 'big.txt'));
  const small = await importDataset(fs, project, join(dir, 'small.txt'));
  const runs = new RunsService({ fs });
  const { id } = await runs.create(project, { datasetId: small.id, cell: 'gru', hiddenSize: Number(values.hidden), batchSize: 8, numSteps: 20, seed: 1 });
  const data = await loadRunData(fs, project, id);
  const trainer = new Trainer(trainerOptionsFromRunConfig(data.config), { train: data.train, val: data.val, vocabSize: data.vocab.size });
  for (let i = 0; i < 3; i++) trainer.trainStep();
  await saveCheckpoint(fs, project, id, toCheckpointBundle(trainer.exportState(), { valPerplexity: 20 }));
  return { project, bigId: big.id, runId: id };
}

interface Measured { mode: string; seconds: number; p50: number; p99: number; max: number; generated: number }

async function measure(mode: string, tasks: Tasks, s: Awaited<ReturnType<typeof setUp>>): Promise<Measured> {
  // warm the worker (thread start, module load) outside the measurement, as a running app has
  await tasks.run('runs:get', s.project, s.runId);
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const t0 = performance.now();
  const [, sample] = await Promise.all([
    tasks.run('runs:create', s.project, { datasetId: s.bigId, maxTokens: 20000, batchSize: 8, numSteps: 20, name: `bench ${mode}` }),
    tasks.run('generate:text', { projectDir: s.project, runId: s.runId, checkpoint: null, prefix: 'the', length: Number(values.tokens), decoding: { mode: 'sample', temperature: 1, topK: 0, topP: 1 }, seed: 1 }),
  ]);
  const seconds = (performance.now() - t0) / 1000;
  h.disable();
  const ms = (ns: number) => ns / 1e6;
  return { mode, seconds, p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), generated: sample.tokens.length };
}

try {
  const s = await setUp();
  const worker = workerTasks();
  const rows = [await measure('task worker', worker, s), await measure('in-process', inProcessTasks(fs), s)];
  await worker.close();
  console.log(`corpus ${values.mb} MB, generation ${values.tokens} tokens (GRU ${values.hidden}), event-loop delay of the calling thread (resolution 5 ms)`);
  console.log('| mode | wall s | delay p50 ms | delay p99 ms | delay max ms |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.mode} | ${r.seconds.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} |`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

/**
 * Main-thread responsiveness while the heavy work of the app runs: event-loop delay
 * (`perf_hooks.monitorEventLoopDelay`) of this thread while a run is created on a 200 MB corpus
 * and a 10,000-token sample is generated at the same time, once through the task worker (what the
 * app does) and once in this thread (what it did before), side by side in one run.
 *
 * The histogram's samples are the intervals of a 5 ms timer; the delay is the interval minus those
 * 5 ms. An idle row (15 s of doing nothing) shows the floor that other processes on the machine
 * set. With `--repeat N` the two modes alternate N times and the
 * table shows the median of each figure over the repeats.
 *
 * `npm run bench -- event-loop [--mb 200] [--tokens 10000] [--hidden 128] [--repeat 1]`
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
const { values } = parseArgs({ options: { mb: { type: 'string', default: '200' }, tokens: { type: 'string', default: '10000' }, hidden: { type: 'string', default: '128' }, repeat: { type: 'string', default: '1' } } });
const RESOLUTION_MS = 5;

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

/** The same figures while this thread does nothing at all: the floor the machine's load sets. */
async function idle(seconds: number): Promise<Measured> {
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  h.enable();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  h.disable();
  const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  return { mode: 'idle (no work)', seconds, p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), generated: 0 };
}

async function measure(mode: string, tasks: Tasks, s: Awaited<ReturnType<typeof setUp>>): Promise<Measured> {
  // warm the worker (thread start, module load) outside the measurement, as a running app has
  await tasks.run('runs:get', s.project, s.runId);
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  h.enable();
  const t0 = performance.now();
  const [, sample] = await Promise.all([
    tasks.run('runs:create', s.project, { datasetId: s.bigId, maxTokens: 20000, batchSize: 8, numSteps: 20, name: `bench ${mode}` }),
    tasks.run('generate:text', { projectDir: s.project, runId: s.runId, checkpoint: null, prefix: 'the', length: Number(values.tokens), decoding: { mode: 'sample', temperature: 1, topK: 0, topP: 1 }, seed: 1 }),
  ]);
  const seconds = (performance.now() - t0) / 1000;
  h.disable();
  const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  return { mode, seconds, p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), generated: sample.tokens.length };
}

try {
  const s = await setUp();
  const worker = workerTasks();
  const modes = [{ name: 'task worker', tasks: worker }, { name: 'in-process', tasks: inProcessTasks(fs) }];
  const results = new Map<string, Measured[]>([...modes.map((m): [string, Measured[]] => [m.name, []]), ['idle (no work)', []]]);
  for (let i = 0; i < Number(values.repeat); i++) {
    for (const m of modes) results.get(m.name)!.push(await measure(m.name, m.tasks, s));
    results.get('idle (no work)')!.push(await idle(15));
  }
  await worker.close();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  console.log(`corpus ${values.mb} MB, generation ${values.tokens} tokens (GRU ${values.hidden}), event-loop delay of the calling thread, median of ${values.repeat} run(s)`);
  console.log('| mode | wall s | delay p50 ms | delay p99 ms | delay max ms | p99 of each run |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const [mode, rs] of results) {
    const f = (k: keyof Omit<Measured, 'mode'>) => median(rs.map((r) => r[k])).toFixed(1);
    console.log(`| ${mode} | ${f('seconds')} | ${f('p50')} | ${f('p99')} | ${f('max')} | ${rs.map((r) => r.p99.toFixed(1)).join(', ')} |`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

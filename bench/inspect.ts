/**
 * Issue 13: "inspecting 2,000 tokens of an LSTM-256 renders in under 1 s". Time from the request
 * to the last chunk of a 2,000-token inspection (h, c, i, f, g, o and top-5 per step, streamed in
 * chunks of 256) with a one-layer LSTM-256, median of 5 after a first, cold call (which loads the
 * checkpoint and builds the kernels): once through the service in this thread, once through the
 * `inspect:start` handler and the task worker, as the app does (events moved to this thread).
 *
 * `npm run bench -- inspect [--tokens 2000] [--hidden 256] [--layers 1] [--repeat 5] [--json]`
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importDataset } from '../src/core/datasets/import-dataset';
import { NodeFileSystem } from '../src/core/fs/node-file-system';
import { createInspectHandlers } from '../src/core/inspect/inspect-handlers';
import { InspectService } from '../src/core/inspect/inspect-service';
import { GenerationService } from '../src/core/services/generation-service';
import { loadRunData } from '../src/core/services/run-data';
import { RunsService } from '../src/core/services/runs-service';
import { saveCheckpoint } from '../src/core/store/checkpoints';
import { createProject } from '../src/core/store/project';
import { workerTasks } from '../src/core/tasks';
import { toCheckpointBundle, Trainer, trainerOptionsFromRunConfig } from '../src/engine/train';
import { inspectRequestSchema, type InspectDone } from '../src/shared/inspect';
import { writeCorpusFile } from './lib/corpus-file';

const { values } = parseArgs({ options: {
  tokens: { type: 'string', default: '2000' }, hidden: { type: 'string', default: '256' }, layers: { type: 'string', default: '1' },
  repeat: { type: 'string', default: '5' }, json: { type: 'boolean', default: false },
} });
const TOKENS = Number(values.tokens), REPEAT = Number(values.repeat);

const fs = new NodeFileSystem();
const dir = await mkdtemp(join(tmpdir(), 'rnnlab-bench-inspect-'));
const project = join(dir, 'bench.rnnlab');
await createProject(fs, project, 'Inspect bench');
await writeCorpusFile(join(dir, 'corpus.txt'), 200_000);
const dataset = await importDataset(fs, project, join(dir, 'corpus.txt'));
const { id: runId } = await new RunsService({ fs }).create(project, { datasetId: dataset.id, cell: 'lstm', hiddenSize: Number(values.hidden), numLayers: Number(values.layers), batchSize: 8, numSteps: 20, seed: 1 });
const data = await loadRunData(fs, project, runId);
const trainer = new Trainer(trainerOptionsFromRunConfig(data.config), { train: data.train, val: data.val, vocabSize: data.vocab.size });
for (let i = 0; i < 2; i++) trainer.trainStep();
await saveCheckpoint(fs, project, runId, toCheckpointBundle(trainer.exportState(), { valPerplexity: 20 }));

const request = (jobId: string) => inspectRequestSchema.parse({ projectDir: project, runId, checkpoint: null, jobId, source: { kind: 'dataset', start: 0, count: TOKENS }, topK: 5 });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Seconds of one inspection, and the kernels it reported. */
async function inService(service: InspectService): Promise<{ seconds: number; kernels: string }> {
  let kernels = '';
  const t0 = performance.now();
  await service.inspect(request('bench'), { emit: (e) => e.kind === 'head' && (kernels = e.value.kernels), signal: new AbortController().signal });
  return { seconds: (performance.now() - t0) / 1000, kernels };
}

const tasks = workerTasks();
let finished: (d: InspectDone) => void = () => {};
let chunks = 0;
const handlers = createInspectHandlers({
  emit: (channel, payload) => {
    if (channel === 'inspect:chunk') chunks++;
    if (channel === 'inspect:done') finished(payload as InspectDone);
  },
  tasks,
});
async function inWorker(n: number): Promise<number> {
  const t0 = performance.now();
  const done = new Promise<InspectDone>((resolve) => (finished = resolve));
  await handlers['inspect:start'](request(`bench-${n}`));
  const d = await done;
  if (d.status !== 'done' || d.processed !== TOKENS) throw new Error(`the job ended ${d.status} after ${d.processed} steps`);
  return (performance.now() - t0) / 1000;
}

const service = new InspectService(fs, new GenerationService(fs));
const cold = await inService(service);
const warm: number[] = [];
for (let i = 0; i < REPEAT; i++) warm.push((await inService(service)).seconds);
const workerCold = await inWorker(0);
const workerWarm: number[] = [];
for (let i = 1; i <= REPEAT; i++) workerWarm.push(await inWorker(i));
await tasks.close();

const result = {
  tokens: TOKENS, cell: 'lstm', hidden: Number(values.hidden), layers: Number(values.layers), kernels: cold.kernels, chunksPerJob: chunks / (REPEAT + 1),
  service: { coldSeconds: cold.seconds, medianSeconds: median(warm), runs: warm },
  worker: { coldSeconds: workerCold, medianSeconds: median(workerWarm), runs: workerWarm },
};
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(`inspect ${TOKENS} tokens, LSTM-${result.hidden} × ${result.layers}, ${result.kernels}; median of ${REPEAT} after a cold call`);
  console.log(`  service (this thread):         ${result.service.medianSeconds.toFixed(3)} s   (cold ${result.service.coldSeconds.toFixed(3)} s)`);
  console.log(`  handler + task worker + events: ${result.worker.medianSeconds.toFixed(3)} s   (cold ${result.worker.coldSeconds.toFixed(3)} s)`);
}

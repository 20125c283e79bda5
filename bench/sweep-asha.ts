/**
 * `npm run bench -- sweep-asha [--trials 24] [--epochs 9] [--parallel 1] [--built] [--hidden-max 64] [--json]`
 *
 * The same random sweep (same seed, so the same parameters trial by trial) twice on the demo
 * corpus: with ASHA pruning and without. Prints the wall time, the epochs trained, the trial
 * states and the best validation perplexity of each, and the two ratios the issue asks for
 * (ASHA's time / no pruning's, target < 0.5; ASHA's best / no pruning's, target within 5 %).
 * `--parallel 1` trains on this thread; more trains in worker threads with the cores split, started
 * from the TypeScript sources (as `npx rnn-lab` does) or, with `--built`, from the bundled
 * out/main/trainer-worker.js the app uses (run `npx electron-vite build` first).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { importDataset } from '../src/core/datasets/import-dataset';
import { generateDemoCorpus } from '../src/core/demo/demo-corpus';
import { NodeFileSystem } from '../src/core/fs/node-file-system';
import { createProject } from '../src/core/store/project';
import { SweepService } from '../src/core/sweeps/sweep-service';
import { sweepTrainingHost } from '../src/core/sweeps/sweep-host';
import { sweepConfigSchema, type Pruner } from '../src/shared/sweep';

const { values: opts } = parseArgs({
  options: {
    trials: { type: 'string', default: '24' },
    epochs: { type: 'string', default: '9' },
    parallel: { type: 'string', default: '1' },
    'hidden-max': { type: 'string', default: '64' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    built: { type: 'boolean', default: false },
  },
});
const trials = Number(opts.trials), epochs = Number(opts.epochs), parallel = Number(opts.parallel);

const fs = new NodeFileSystem();
const root = mkdtempSync(join(tmpdir(), 'rnnlab-bench-sweep-'));
const source = join(root, 'demo.txt');
writeFileSync(source, generateDemoCorpus());

interface Result {
  prune: Pruner;
  seconds: number;
  best: number;
  bestTrial: number;
  complete: number;
  pruned: number;
  failed: number;
  epochsTrained: number;
}

async function sweep(prune: Pruner, n = trials, e = epochs): Promise<Result> {
  const dir = join(root, `${prune}-${n}x${e}.rnnlab`);
  await createProject(fs, dir, `bench ${prune}`);
  const dataset = await importDataset(fs, dir, source);
  const spec = opts.built ? { url: pathToFileURL(resolve(import.meta.dirname, '../out/main/trainer-worker.js')), workerData: {} } : undefined;
  const host = sweepTrainingHost(fs, parallel, (e) => console.error(e), spec);
  const sweeps = new SweepService({ fs, host });
  const config = sweepConfigSchema.parse({
    name: `bench-${prune}`, datasetId: dataset.id, method: 'random', trials: n, parallel, prune, seed: Number(opts.seed),
    base: { cell: 'gru', numSteps: 32, batchSize: 32, maxTokens: 0, epochs: e, optimizer: 'adam', clip: 1, checkpointEvery: e, sampleEvery: e, seed: 3 },
    space: { lr: { low: 1e-3, high: 0.1, log: true }, hiddenSize: { low: 8, high: Number(opts['hidden-max']) } },
  });
  const t0 = performance.now();
  const { id } = await sweeps.create(dir, config);
  const record = await sweeps.wait(dir, id);
  const seconds = (performance.now() - t0) / 1000;
  await host.shutdown();
  const complete = record.trials.filter((t) => t.state === 'COMPLETE');
  const best = complete.reduce((b, t) => (t.value! < b.value! ? t : b), complete[0]!);
  return {
    prune, seconds, best: best.value!, bestTrial: best.number, complete: complete.length,
    pruned: record.trials.filter((t) => t.state === 'PRUNED').length, failed: record.trials.filter((t) => t.state === 'FAIL').length,
    epochsTrained: record.trials.reduce((n, t) => n + t.intermediate.length, 0),
  };
}

await sweep('none', 1, 1); // warm-up (JIT, caches): not timed
const asha = await sweep('asha');
const none = await sweep('none');
const timeRatio = asha.seconds / none.seconds;
const bestRatio = asha.best / none.best;
if (opts.json) console.log(JSON.stringify({ trials, epochs, parallel, asha, none, timeRatio, bestRatio, loadavg: loadavg()[0] }));
else {
  console.log(`${trials}-trial random sweep, ${epochs} epochs, K = ${parallel}${opts.built ? ' (built worker)' : ''}, demo corpus (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`);
  console.log('prune  wall s  epochs  complete  pruned  failed  best val ppl (trial)');
  for (const r of [asha, none]) {
    console.log(`${r.prune.padEnd(5)}  ${r.seconds.toFixed(1).padStart(6)}  ${String(r.epochsTrained).padStart(6)}  ${String(r.complete).padStart(8)}  ${String(r.pruned).padStart(6)}  ${String(r.failed).padStart(6)}  ${r.best.toFixed(4)} (#${r.bestTrial})`);
  }
  console.log(`ASHA time / none: ${timeRatio.toFixed(3)} (target < 0.5)   ASHA best / none best: ${bestRatio.toFixed(4)} (target ≤ 1.05)`);
}

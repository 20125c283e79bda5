/**
 * Where a training step's time goes: every kernel call of `Trainer.trainStep` timed by name, and
 * the rest of the step (loss, clipping, optimizer, bookkeeping in TypeScript) as the remainder.
 *
 *   npm run bench -- engine-profile [--config rnn-512] [--threads 2] [--steps 40]
 *
 * Same setting as `engine` (V=28 one-hot, T=35, B=32, SGD lr 1, θ=1, sequential). Timing each call
 * adds ~0.1 µs per call; read the shares, not the absolute total.
 */
import { createRunKernels } from '../src/core/kernels';
import { Rng } from '../src/engine/rng';
import { resolveTrainerOptions, Trainer } from '../src/engine/train';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}
const id = arg('config', 'rnn-512');
const threads = Number(arg('threads', '2'));
const steps = Number(arg('steps', '40'));
const m = /^(rnn|gru|lstm)-(?:(\d)x)?(\d+)$/.exec(id);
if (!m) throw new Error(`config ${id}: <cell>-<H> or <cell>-<L>x<H>`);
const V = Number(arg('vocab', '28')), T = 35, B = 32;

const run = await createRunKernels({ kernels: 'wasm', threads });
const k = run.kernels as unknown as Record<string, unknown>;
const spent = new Map<string, { ms: number; calls: number }>();
// the methods of the Kernels interface (src/engine/kernels/kernels.ts), not the helpers they call
const names = ['gemmXWt', 'gemmDyW', 'gemmDyTX', 'addBias', 'sumRows', 'gatherColsAdd', 'scatterColsAdd', 'gatherRows', 'scatterRowsAdd',
  'addInto', 'mul', 'tanhInPlace', 'reluInPlace', 'tanhBackward', 'reluBackward', 'lstmPointwiseForward', 'lstmPointwiseBackward',
  'gruPointwiseForward', 'gruPointwiseBackward', 'logSumExpRows', 'softmaxCrossEntropyBackward', 'sumSquares', 'scale', 'axpy', 'rnnStepForward', 'lstmStepForward', 'gruStepForward'];
const timing = { on: false };
for (const n of names) {
  const original = (k[n] as (...a: unknown[]) => unknown).bind(k);
  k[n] = (...a: unknown[]) => {
    if (!timing.on) return original(...a);
    const t0 = performance.now();
    const r = original(...a);
    const e = spent.get(n) ?? { ms: 0, calls: 0 };
    e.ms += performance.now() - t0;
    e.calls++;
    spent.set(n, e);
    return r;
  };
}
const rng = new Rng(1);
const train = new Int32Array(60_000);
for (let i = 0; i < train.length; i++) train[i] = rng.nextInt(V);
const options = resolveTrainerOptions({
  cell: m[1] as 'rnn', hiddenSize: Number(m[3]), numLayers: Number(m[2] ?? 1), numSteps: T, batchSize: B, optimizer: 'sgd', lr: 1, clip: 1, sampler: 'sequential',
  ...(V > 28 ? { embeddingDim: Number(arg('embedding', '0')) } : {}),
});
const trainer = new Trainer(options, { train, val: new Int32Array(0), vocabSize: V }, { kernels: run.kernels });
for (let i = 0; i < 5; i++) trainer.trainStep();
timing.on = true;
const t0 = performance.now();
for (let i = 0; i < steps; i++) trainer.trainStep();
const total = performance.now() - t0;
timing.on = false;
const described = (run.kernels as { describe?: () => { aloneShare?: number } }).describe?.();
await run.close();
const rows = [...spent.entries()].sort((a, b) => b[1].ms - a[1].ms);
const inKernels = rows.reduce((s, [, e]) => s + e.ms, 0);
console.log(`${id}, ${threads} thread(s), ${steps} steps: ${(total / steps).toFixed(2)} ms/step, ${((steps * T * B) / (total / 1000)).toFixed(0)} tok/s, ${((described?.aloneShare ?? 0) * 100).toFixed(0)} % of split calls run alone (helpers late)`);
console.log('| part | ms/step | share | calls/step |\n|---|---:|---:|---:|');
for (const [n, e] of rows) console.log(`| ${n} | ${(e.ms / steps).toFixed(3)} | ${((100 * e.ms) / total).toFixed(1)} % | ${(e.calls / steps).toFixed(0)} |`);
console.log(`| outside kernels (zeroing, loss sum, checks, bookkeeping) | ${((total - inKernels) / steps).toFixed(3)} | ${((100 * (total - inKernels)) / total).toFixed(1)} % | |`);

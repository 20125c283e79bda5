/**
 * Training throughput and memory of the engine on d2l's standard character-model settings, side by
 * side with PyTorch when /usr/bin/python3 has torch:
 *
 *   npm run bench -- engine [--quick] [--json] [--configs rnn-512,lstm-256] [--no-torch]
 *                           [--kernels ts,wasm] [--threads 1,2] [--torch-threads 1] [--blas-threads 2]
 *                           [--rounds 3]
 *
 * `--rounds N` alternates ours and PyTorch N times per configuration (this machine's speed drifts by
 * tens of percent over minutes): tokens/s is the median over rounds, and ours / PyTorch the median of
 * the rounds' paired ratios, with their range.
 *
 * PyTorch runs at its best setting on a 2-core machine: one OpenMP thread and two OpenBLAS threads
 * (with two OpenMP threads it is 4–6× slower here, which would flatter us).
 *
 * `--kernels` and `--threads` take lists: ours runs once per combination (threads apply to wasm;
 * ts is always one thread), PyTorch once per configuration. A configuration id `<cell>-<H>` not in
 * the list below (e.g. lstm-1024) runs ours for that hidden size; PyTorch knows only the list.
 *
 * Every configuration: vocabulary 28 one-hot (word-lstm-256: 10,000 words through a 256-wide
 * embedding), 35 steps, batch 32, sequential minibatches with the state carried, SGD lr 1, clipping θ = 1, on a synthetic uniform token stream (throughput does not
 * depend on the text). Each configuration runs in its own process (ours: Node with the same loader;
 * PyTorch: bench/engine_torch.py), so the peak RSS is that configuration's alone. Timing: warm-up
 * steps, then windows of whole training steps lasting at least `window` seconds; tokens/s is the
 * median over the windows. GFLOP/s counts the matrix products of forward and backward only
 * (6 flops per multiply-accumulate-weight per token; the one-hot input product is a gather and not
 * counted), so it is comparable to the kernel figures in shared/notes/kernels.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createRunKernels } from '../src/core/kernels';
import { Rng } from '../src/engine/rng';
import { resolveTrainerOptions, Trainer } from '../src/engine/train';

interface BenchConfig {
  id: string;
  cell: 'rnn' | 'gru' | 'lstm';
  hiddenSize: number;
  numLayers: number;
  /** Vocabulary size; the character configurations use d2l's 28. */
  vocab: number;
  /** Embedding width, 0 for one-hot input. */
  embedding: number;
}

const V = 28, T = 35, B = 32;
const CONFIGS: BenchConfig[] = [
  { id: 'rnn-512', cell: 'rnn', hiddenSize: 512, numLayers: 1, vocab: V, embedding: 0 },
  { id: 'rnn-256', cell: 'rnn', hiddenSize: 256, numLayers: 1, vocab: V, embedding: 0 },
  { id: 'gru-256', cell: 'gru', hiddenSize: 256, numLayers: 1, vocab: V, embedding: 0 },
  { id: 'lstm-256', cell: 'lstm', hiddenSize: 256, numLayers: 1, vocab: V, embedding: 0 },
  { id: 'lstm-2x256', cell: 'lstm', hiddenSize: 256, numLayers: 2, vocab: V, embedding: 0 },
  // a word-level model: 10,000-word vocabulary through a 256-wide embedding; the output layer dominates
  { id: 'word-lstm-256', cell: 'lstm', hiddenSize: 256, numLayers: 1, vocab: 10_000, embedding: 256 },
];
const CORPUS_TOKENS = 60_000;

interface Timing {
  /** Warm-up lasts at least this many steps and this many seconds. */
  warmupSteps: number;
  warmupSeconds: number;
  windows: number;
  /** Minimum seconds per timed window. */
  window: number;
}

interface Measurement {
  impl: 'ours' | 'torch';
  config: string;
  params: number;
  tokensPerSecond: number;
  windows: number[];
  peakRssMB: number;
  /** Ours only: typed-array memory after setup (model, workspace, optimizer). */
  buffersMB?: number;
  threads?: number;
  version?: string;
  /** Ours: which kernels ran (describe()), e.g. wasm-relaxed-simd. */
  kernels?: string;
  /** PyTorch: version, BLAS library and its core type, CPU capability, threads. */
  build?: string;
  /** With --rounds N: each round's tokens/s (tokensPerSecond is their median). */
  rounds?: number[];
}

const gateCount = (cell: BenchConfig['cell']) => (cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1);

/** Matrix-product flops per token of one training step (forward + backward). */
function flopsPerToken(c: BenchConfig): number {
  const H = c.hiddenSize, G = gateCount(c.cell) * H;
  let f = 6 * H * c.vocab; // output layer: forward, dW, dH
  // recurrent weights, and the input weights of every layer but a one-hot first one (a gather)
  for (let l = 0; l < c.numLayers; l++) f += 6 * H * G + (l > 0 ? 6 * H * G : 6 * c.embedding * G);
  return f;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs in the child process: one configuration, printed as one JSON line. */
async function measureOurs(c: BenchConfig, timing: Timing, kernelChoice: 'ts' | 'wasm', threads: number): Promise<Measurement> {
  const run = await createRunKernels({ kernels: kernelChoice, threads });
  const rng = new Rng(1);
  const train = new Int32Array(CORPUS_TOKENS);
  for (let i = 0; i < train.length; i++) train[i] = rng.nextInt(c.vocab);
  const options = resolveTrainerOptions({
    cell: c.cell, hiddenSize: c.hiddenSize, numLayers: c.numLayers, embeddingDim: c.embedding, numSteps: T, batchSize: B, optimizer: 'sgd', lr: 1, clip: 1, sampler: 'sequential',
  });
  const trainer = new Trainer(options, { train, val: new Int32Array(0), vocabSize: c.vocab }, { kernels: run.kernels });
  const wasmBytes = (run.kernels as { describe?: () => { memoryBytes?: number } }).describe?.().memoryBytes ?? 0;
  const buffersMB = (process.memoryUsage().arrayBuffers + wasmBytes) / 2 ** 20;
  // the fastest warm-up step sizes the windows, so a stall during warm-up cannot make them too short
  let fastest = Infinity;
  const warmStart = performance.now();
  for (let i = 0; i < timing.warmupSteps || performance.now() - warmStart < timing.warmupSeconds * 1000; i++) {
    const t0 = performance.now();
    trainer.trainStep();
    fastest = Math.min(fastest, (performance.now() - t0) / 1000);
  }
  const stepsPerWindow = Math.max(1, Math.ceil(timing.window / Math.max(fastest, 1e-4)));
  const windows: number[] = [];
  for (let w = 0; w < timing.windows; w++) {
    const t0 = performance.now();
    for (let s = 0; s < stepsPerWindow; s++) trainer.trainStep();
    windows.push((stepsPerWindow * T * B) / ((performance.now() - t0) / 1000));
  }
  const description = run.description;
  await run.close();
  return {
    kernels: description.name, threads: description.threads,
    impl: 'ours', config: c.id, params: trainer.model.parameterCount(), tokensPerSecond: median(windows), windows,
    peakRssMB: process.resourceUsage().maxRSS / 1024, buffersMB, version: `node ${process.version}`,
  };
}

/** Several rounds of one measurement as one: median tokens/s (every round's kept), largest peak RSS. */
function combineRounds(rounds: Array<Measurement | { error: string }>): Measurement | { error: string } {
  const good = rounds.filter((m): m is Measurement => !('error' in m));
  if (good.length === 0) return rounds[0] ?? { error: 'no rounds' };
  const rates = good.map((m) => m.tokensPerSecond);
  return { ...good[0]!, tokensPerSecond: median(rates), rounds: rates, peakRssMB: Math.max(...good.map((m) => m.peakRssMB)) };
}

function runChild(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Measurement | { error: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24, env });
  const line = r.stdout?.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as Measurement;
  } catch {
    return { error: (r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(-3).join(' | ') };
  }
}

function parseArgs(argv: string[]) {
  const out = {
    quick: false, json: false, torch: true, torchThreads: 1, blasThreads: 2, configs: CONFIGS.map((c) => c.id), child: '', timing: '',
    kernels: ['ts'] as Array<'ts' | 'wasm'>, threads: [1], rounds: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => argv[++i] ?? '';
    if (a === '--quick') out.quick = true;
    else if (a === '--json') out.json = true;
    else if (a === '--no-torch') out.torch = false;
    else if (a === '--torch-threads') out.torchThreads = Number(value());
    else if (a === '--blas-threads') out.blasThreads = Number(value());
    else if (a === '--configs') out.configs = value().split(',');
    else if (a === '--child') out.child = value();
    else if (a === '--timing') out.timing = value();
    else if (a === '--kernels') out.kernels = value().split(',') as Array<'ts' | 'wasm'>;
    else if (a === '--threads') out.threads = value().split(',').map(Number);
    else if (a === '--rounds') out.rounds = Number(value());
    else throw new Error(`unknown argument ${a}`);
  }
  for (const id of out.configs) configOf(id);
  for (const k of out.kernels) if (k !== 'ts' && k !== 'wasm') throw new Error(`unknown kernels ${k}; ts or wasm`);
  for (const t of out.threads) if (!(Number.isInteger(t) && t >= 1)) throw new Error(`thread count ${t} must be a positive integer`);
  if (!(Number.isInteger(out.rounds) && out.rounds >= 1)) throw new Error(`--rounds ${out.rounds} must be a positive integer`);
  return out;
}

/** A listed configuration, or `<cell>-<H>` for a hidden-size sweep. */
function configOf(id: string): BenchConfig {
  const listed = CONFIGS.find((c) => c.id === id);
  if (listed) return listed;
  const m = /^(rnn|gru|lstm)-(\d+)$/.exec(id);
  if (!m) throw new Error(`unknown config ${id}; known: ${CONFIGS.map((c) => c.id).join(', ')}, or <cell>-<hidden>`);
  return { id, cell: m[1] as BenchConfig['cell'], hiddenSize: Number(m[2]), numLayers: 1, vocab: V, embedding: 0 };
}

const args = parseArgs(process.argv.slice(2));

if (args.child) {
  const timing = JSON.parse(args.timing) as Timing;
  console.log(JSON.stringify(await measureOurs(configOf(args.child), timing, args.kernels[0]!, args.threads[0]!)));
} else {
  const timing: Timing = args.quick ? { warmupSteps: 2, warmupSeconds: 0.3, windows: 3, window: 0.5 } : { warmupSteps: 4, warmupSeconds: 1.5, windows: 5, window: 2 };
  const python = '/usr/bin/python3';
  const torchScript = join(import.meta.dirname, 'engine_torch.py');
  const useTorch = args.torch && existsSync(python) && spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
  const rows = [];
  for (const id of args.configs) {
    const c = configOf(id);
    const variants: Array<['ts' | 'wasm', number]> = args.kernels.flatMap((k) => (k === 'ts' ? [[k, 1]] : args.threads.map((t): ['ts' | 'wasm', number] => [k, t])));
    // rounds alternate ours and PyTorch, so a slow spell of the shared machine hits both sides
    const oursRounds: Array<Array<Measurement | { error: string }>> = variants.map(() => []);
    const torchRounds: Array<Measurement | { error: string }> = [];
    for (let r = 0; r < args.rounds; r++) {
      variants.forEach(([k, t], v) => oursRounds[v]!.push(runChild(process.execPath, [...process.execArgv, import.meta.filename, '--child', id, '--timing', JSON.stringify(timing), '--kernels', k, '--threads', String(t)])));
      if (useTorch) {
        torchRounds.push(runChild(python, [torchScript, '--config', id, '--threads', String(args.torchThreads), '--warmup-steps', String(timing.warmupSteps), '--warmup-seconds', String(timing.warmupSeconds), '--windows', String(timing.windows), '--window', String(timing.window)], { ...process.env, OPENBLAS_NUM_THREADS: String(args.blasThreads) }));
      }
    }
    const ours = oursRounds.map(combineRounds);
    const torch = useTorch ? combineRounds(torchRounds) : null;
    // the ratio of each round's pair, then their median (and range)
    const ratios = oursRounds.map((rs) => rs.flatMap((o, r) => {
      const t = torchRounds[r];
      return o && t && !('error' in o) && !('error' in t) ? [o.tokensPerSecond / t.tokensPerSecond] : [];
    }));
    const flops = flopsPerToken(c);
    const row = { config: id, flopsPerToken: flops, ours, torch, ratios };
    rows.push(row);
    if (!args.json) process.stderr.write(`  ${id} done\n`);
  }
  if (args.json) {
    console.log(JSON.stringify({ V, T, B, timing, loadAverage: loadavg(), torchThreads: useTorch ? args.torchThreads : null, blasThreads: useTorch ? args.blasThreads : null, rows }, null, 2));
  } else {
    const ok = (m: Measurement | { error: string } | null): m is Measurement => m !== null && !('error' in m);
    const fmt = (x: number, d = 0) => x.toFixed(d);
    if (args.rounds > 1) console.log(`${args.rounds} rounds alternating ours and PyTorch; medians over rounds, ratio = median of the paired ratios (range).`);
    console.log(`Engine training throughput: V=${V} one-hot (word-lstm-256: V=10,000, embedding 256), T=${T}, B=${B}, SGD lr 1, θ=1; median of ${timing.windows} windows ≥ ${timing.window} s after ${timing.warmupSteps} warm-up steps.`);
    console.log(`Load average at the end (1/5/15 min): ${loadavg().map((x) => x.toFixed(2)).join(' / ')}; other processes skew the numbers.`);
    const torchBuild = rows.map((r) => r.torch).find(ok)?.build;
    console.log(useTorch ? `PyTorch: torch.set_num_threads(${args.torchThreads}), OPENBLAS_NUM_THREADS=${args.blasThreads}; ${torchBuild ?? 'build not reported'}.` : 'PyTorch: not available (or --no-torch).');
    console.log('');
    console.log('| config | kernels | threads | params | ours tok/s | ours GFLOP/s | ours peak RSS MB (buffers) | PyTorch tok/s | PyTorch GFLOP/s | PyTorch peak RSS MB | ours / PyTorch |');
    console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) for (const o of r.ours) {
      const t = r.torch;
      const cells = [r.config, ok(o) ? o.kernels ?? '—' : '—', ok(o) ? String(o.threads ?? 1) : '—'];
      cells.push(ok(o) ? String(o.params) : '—');
      cells.push(ok(o) ? fmt(o.tokensPerSecond) : `error: ${(o as { error: string }).error}`);
      cells.push(ok(o) ? fmt((o.tokensPerSecond * r.flopsPerToken) / 1e9, 2) : '—');
      cells.push(ok(o) ? `${fmt(o.peakRssMB)} (${fmt(o.buffersMB ?? 0, 1)})` : '—');
      cells.push(ok(t) ? fmt(t.tokensPerSecond) : t ? `error: ${t.error}` : '—');
      cells.push(ok(t) ? fmt((t.tokensPerSecond * r.flopsPerToken) / 1e9, 2) : '—');
      cells.push(ok(t) ? fmt(t.peakRssMB) : '—');
      const rs = r.ratios[r.ours.indexOf(o)] ?? [];
      cells.push(rs.length === 0 ? '—' : rs.length === 1 ? fmt(rs[0]!, 3) : `${fmt(median(rs), 3)} (${fmt(Math.min(...rs), 2)}–${fmt(Math.max(...rs), 2)})`);
      console.log(`| ${cells.join(' | ')} |`);
    }
  }
}

/**
 * Generation speed: tokens/s of greedy character generation (batch 1, one token at a time, the
 * state carried) on the TypeScript kernels, the WebAssembly kernels (one thread: a batch-1 step is
 * too small to split), and a PyTorch loop doing the same (bench/generation_torch.py).
 *
 *   npm run bench -- generation [--configs rnn-512,lstm-256] [--tokens 2000] [--repeats 5]
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { enableRelaxedSimd } from '../src/core/kernels/run-kernels';
import { generate } from '../src/engine/decode';
import type { Kernels } from '../src/engine/kernels';
import { tsKernels } from '../src/engine/kernels/ts-kernels';
import { createWasmKernels } from '../src/engine/kernels/wasm';
import { initParameters } from '../src/engine/model/init';
import { RnnModel } from '../src/engine/model/rnn-model';
import type { ModelConfig } from '../src/engine/model/config';
import { Rng } from '../src/engine/rng';

const V = 28;
const CONFIGS: Record<string, Pick<ModelConfig, 'cell' | 'hiddenSize' | 'numLayers'>> = {
  'rnn-512': { cell: 'rnn', hiddenSize: 512, numLayers: 1 },
  'rnn-256': { cell: 'rnn', hiddenSize: 256, numLayers: 1 },
  'gru-256': { cell: 'gru', hiddenSize: 256, numLayers: 1 },
  'lstm-256': { cell: 'lstm', hiddenSize: 256, numLayers: 1 },
  'lstm-2x256': { cell: 'lstm', hiddenSize: 256, numLayers: 2 },
};

const { values } = parseArgs({ options: { configs: { type: 'string', default: Object.keys(CONFIGS).join(',') }, tokens: { type: 'string', default: '2000' }, repeats: { type: 'string', default: '5' } } });
const tokens = Number(values.tokens);
const repeats = Number(values.repeats);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function tokensPerSec(name: string, kernels: Kernels): number {
  const config: ModelConfig = { ...CONFIGS[name]!, vocabSize: V, embeddingDim: 0, dropout: 0, nonlinearity: 'tanh' };
  const model = new RnnModel(config, { dtype: Float32Array, kernels });
  initParameters(model.params, config, new Rng(1));
  const prefix = Int32Array.from({ length: 10 }, (_, i) => (i * 7) % V);
  generate(model, prefix, 200, { greedy: true }); // warm-up: JIT and buffers
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    generate(model, prefix, tokens, { greedy: true });
    rates.push(tokens / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}

enableRelaxedSimd();
const wasm = createWasmKernels();
console.log(`greedy generation, ${tokens} tokens after a 10-token prefix, one-hot input (V=${V}), median of ${repeats}; ${wasm.describe().name}`);
console.log('| config | ts tok/s | wasm tok/s | PyTorch tok/s | wasm/PyTorch |');
console.log('|---|---:|---:|---:|---:|');
for (const name of values.configs.split(',')) {
  const ts = tokensPerSec(name, tsKernels);
  const w = tokensPerSec(name, createWasmKernels());
  const torch = JSON.parse(execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'generation_torch.py'), '--config', name, '--tokens', String(tokens), '--repeats', String(repeats)], { encoding: 'utf8' })) as { tokensPerSec: number; torch: string };
  console.log(`| ${name} | ${ts.toFixed(0)} | ${w.toFixed(0)} | ${torch.tokensPerSec.toFixed(0)} | ${(w / torch.tokensPerSec).toFixed(2)} |`);
}

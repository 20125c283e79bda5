/**
 * The frames bench's backend: one project, one dataset and one running run, held in memory.
 * (The renderer tests have a fuller in-memory backend in tests/renderer, which the bench's
 * tsconfig cannot include.) Every other channel answers NotAvailable.
 */
import { AppError } from '../src/shared/errors';
import type { Handlers } from '../src/shared/ipc/handlers';
import { unavailableHandlers } from '../tests/helpers/unavailable-handlers';
import { requestChannels } from '../src/shared/ipc/contract';
import { defaultRunConfig } from '../src/shared/run-config';
import type { MetricRecord, RunDetail } from '../src/shared/runs';
import type { DatasetRecord } from '../src/shared/datasets';

export const BENCH_DIR = '/bench/frames.rnnlab';
export const BENCH_RUN = 'live';

export function benchHandlers(totalEpochs: number): Handlers {
  const config = { ...defaultRunConfig('tm'), name: BENCH_RUN, cell: 'lstm' as const, epochs: totalEpochs };
  const detail: RunDetail = {
    run: { id: BENCH_RUN, name: BENCH_RUN, state: 'running', created: '2026-11-26T00:00:00.000Z', message: null, progress: null, bestValPerplexity: null },
    config,
    metrics: [],
    samples: [],
    checkpoints: [],
    divergence: null,
    baselines: { uniform: 28, unigram: 17.4 },
    kernels: 'ts',
  };
  const dataset: DatasetRecord = {
    formatVersion: 1,
    id: 'tm',
    name: 'timemachine.txt',
    kind: 'text',
    created: '2026-11-26T00:00:00.000Z',
    source: { file: 'source.txt', originalName: 'timemachine.txt', bytes: 178_979, sha256: 'a'.repeat(64), encoding: 'utf-8' },
    stats: {
      kind: 'text', characters: 178_979, lines: 3_583, newline: 'lf', cleaning: 'letters', minFreq: 1,
      char: { tokens: 173_428, distinct: 28, vocabSize: 28, unkRate: 0, unigramPerplexity: 17.4, top: [] },
      word: { tokens: 32_775, distinct: 4_580, vocabSize: 4_580, unkRate: 0, unigramPerplexity: 595.3, top: [] },
    },
  };
  const project = { dir: BENCH_DIR, name: 'frames', created: '2026-11-26T00:00:00.000Z', formatVersion: 1 };
  const missing = () => {
    throw new AppError('NotFound', 'Not part of the bench.');
  };
  return {
    ...unavailableHandlers(requestChannels),
    'app:info': () => ({ name: 'RNN Lab', version: 'bench', platform: 'linux', defaultProjectsDir: '/bench', pathSeparator: '/' }),
    'projects:create': missing,
    'projects:open': () => ({ project, datasets: [{ id: 'tm', name: dataset.name, kind: 'text' }], runs: [{ id: BENCH_RUN, name: BENCH_RUN, state: 'running' }], problems: [] }),
    'projects:recent': () => [{ dir: BENCH_DIR, name: 'frames', openedAt: '2026-11-26T00:00:00.000Z' }],
    'projects:forget': () => [],
    'dialog:pickFolder': () => ({ path: null }),
    'dialog:pickFile': () => ({ path: null }),
    'dialog:saveFile': () => ({ path: null }),
    'shell:openExternal': () => ({ opened: false }),
    'datasets:get': () => dataset,
    'runs:list': () => [detail.run],
    'runs:get': () => detail,
  };
}

/** Deterministic metric records for steps [from, to): a falling perplexity with noise and validation passes. */
export function benchMetrics(from: number, to: number): MetricRecord[] {
  const out: MetricRecord[] = [];
  let seed = (from * 2654435761) >>> 0;
  const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296);
  for (let step = from; step < to; step++) {
    const clean = 4 + 24 * Math.exp(-step / 8000);
    const ppl = clean * Math.exp((rand() - 0.5) * 0.12);
    const base = { step, epoch: step / 100, time: step * 0.02 };
    out.push({ kind: 'train', ...base, loss: Math.log(ppl), perplexity: ppl, gradNorm: 0.6 + rand() * 0.8 + (rand() < 0.01 ? 3 : 0), lr: 1, tokensPerSec: 11_000 + rand() * 2_000 });
    if (step > 0 && step % 500 === 0) out.push({ kind: 'val', ...base, loss: Math.log(clean * 1.06), perplexity: clean * 1.06 });
  }
  return out;
}

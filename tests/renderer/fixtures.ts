/**
 * Fake data for renderer tests, the frames bench and screenshots: dataset records, run details
 * and deterministic metric streams that look like a character model learning.
 */
import type { DatasetRecord, VocabularyView } from '../../src/shared/datasets';
import type { MetricRecord, RunDetail, RunState, SampleRecord } from '../../src/shared/runs';
import { defaultRunConfig, type RunConfig } from '../../src/shared/run-config';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOP_CHARS: Array<[string, number]> = [[' ', 29_000], ['e', 17_800], ['t', 13_500], ['a', 11_300], ['i', 10_100], ['n', 9_900], ['o', 9_800], ['s', 8_600], ['h', 8_200], ['r', 7_600]];
const TOP_WORDS: Array<[string, number]> = [['the', 2_261], ['i', 1_267], ['and', 1_245], ['of', 1_155], ['a', 816], ['to', 695], ['was', 552], ['in', 541], ['that', 443], ['my', 440]];

export function textDataset(id: string, name = `${id}.txt`, over: Partial<DatasetRecord> = {}): DatasetRecord {
  return {
    formatVersion: 1,
    id,
    name,
    kind: 'text',
    created: '2026-11-26T10:00:00.000Z',
    source: { file: 'source.txt', originalName: name, bytes: 178_979, sha256: 'a'.repeat(64), encoding: 'utf-8' },
    stats: {
      kind: 'text',
      characters: 178_979,
      lines: 3_583,
      newline: 'lf',
      cleaning: 'letters',
      minFreq: 1,
      char: { tokens: 173_428, distinct: 28, vocabSize: 28, unkRate: 0, unigramPerplexity: 17.4, top: TOP_CHARS },
      word: { tokens: 32_775, distinct: 4_580, vocabSize: 4_580, unkRate: 0, unigramPerplexity: 595.3, top: TOP_WORDS },
    },
    ...over,
  };
}

export function csvDataset(id: string, name = `${id}.csv`): DatasetRecord {
  return {
    formatVersion: 1,
    id,
    name,
    kind: 'csv',
    created: '2026-11-26T10:00:00.000Z',
    source: { file: 'source.csv', originalName: name, bytes: 41_233, sha256: 'b'.repeat(64), encoding: 'utf-8' },
    stats: {
      kind: 'csv',
      delimiter: ',',
      hasHeader: true,
      rows: 1_000,
      columns: [
        { name: 'date', kind: 'label', count: 1000, missing: 0, min: null, max: null, mean: null, std: null },
        { name: 'load', kind: 'numeric', count: 998, missing: 2, min: -1.7, max: 2.9, mean: 0.41, std: 0.83 },
      ],
    },
  };
}

/** A Zipf-like vocabulary view: rank r has count ∝ 1/r^1.1. */
export function vocabularyView(tokenizer: 'char' | 'word', cleaning: 'none' | 'letters', minFreq: number): VocabularyView {
  const distinct = tokenizer === 'char' ? 28 : 4_580;
  const tokens = tokenizer === 'char' ? 173_428 : 32_775;
  const top = tokenizer === 'char' ? 29_000 : 2_261;
  const rankCounts = Array.from({ length: distinct }, (_, r) => Math.max(1, Math.round(top / Math.pow(r + 1, 1.1))));
  const kept = rankCounts.filter((c) => c >= minFreq);
  const dropped = rankCounts.filter((c) => c < minFreq).reduce((a, b) => a + b, 0);
  return {
    tokenizer,
    cleaning,
    minFreq,
    tokens,
    distinct,
    vocabSize: kept.length + 1,
    unkRate: dropped / tokens,
    unigramPerplexity: tokenizer === 'char' ? 17.4 : 595.3,
    rankCounts,
    top: tokenizer === 'char' ? TOP_CHARS : TOP_WORDS,
  };
}

export interface CurveOptions {
  /** Steps per epoch (sets the epoch column). */
  stepsPerEpoch?: number;
  /** A validation pass every this many steps. */
  valEvery?: number;
  /** Perplexity at step 0 and where it levels off. */
  start?: number;
  floor?: number;
  /** Steps for the curve to fall by a factor e. */
  tau?: number;
  /** From this step on validation perplexity rises while training keeps falling. */
  overfitFrom?: number;
  secondsPerStep?: number;
  lr?: number;
  seed?: number;
}

/** Metric records for steps [from, to): a falling perplexity with noise, validation passes, epoch summaries. */
export function metricStream(from: number, to: number, o: CurveOptions = {}): MetricRecord[] {
  const { stepsPerEpoch = 100, valEvery = 500, start = 28, floor = 4.2, tau = 1500, overfitFrom = Infinity, secondsPerStep = 0.02, lr = 1, seed = 7 } = o;
  const rand = mulberry32(seed + from);
  const out: MetricRecord[] = [];
  for (let step = from; step < to; step++) {
    const clean = floor + (start - floor) * Math.exp(-step / tau);
    const train = clean * Math.exp((rand() - 0.5) * 0.12);
    const epoch = step / stepsPerEpoch;
    const time = step * secondsPerStep;
    const gradNorm = 0.6 + 1.8 * Math.exp(-step / tau) + rand() * 0.4 + (rand() < 0.01 ? 2.5 : 0);
    out.push({ kind: 'train', step, epoch, time, loss: Math.log(train), perplexity: train, gradNorm, lr, tokensPerSec: 11_000 + rand() * 2_000 });
    if (step > 0 && step % valEvery === 0) {
      const val = clean * 1.06 * (step > overfitFrom ? 1 + (step - overfitFrom) / (tau * 2) : 1);
      out.push({ kind: 'val', step, epoch, time, loss: Math.log(val), perplexity: val });
    }
    if (step > 0 && step % stepsPerEpoch === 0) out.push({ kind: 'epoch', step, epoch, time, loss: Math.log(clean), perplexity: clean });
  }
  return out;
}

export function sample(step: number, text = 'time traveller for so it will be convenient to speak of him'): SampleRecord {
  return { step, epoch: step / 100, prefix: 'time traveller', text };
}

export function runDetail(id: string, opts: { name?: string; state?: RunState; datasetId?: string; config?: Partial<RunConfig>; metrics?: MetricRecord[]; totalEpochs?: number } = {}): RunDetail {
  const config = { ...defaultRunConfig(opts.datasetId ?? 'tm'), name: opts.name ?? id, ...opts.config };
  const metrics = opts.metrics ?? [];
  const last = metrics[metrics.length - 1];
  const vals = metrics.filter((m) => m.kind === 'val' && typeof m.perplexity === 'number');
  const best = vals.length > 0 ? Math.min(...vals.map((m) => m.perplexity as number)) : null;
  return {
    run: {
      id,
      name: config.name,
      state: opts.state ?? 'done',
      created: '2026-11-26T10:00:00.000Z',
      message: null,
      progress: last ? { epoch: last.epoch, totalEpochs: opts.totalEpochs ?? config.epochs, step: last.step, elapsedSec: last.time, etaSec: null } : null,
      bestValPerplexity: best,
    },
    config,
    metrics,
    samples: [],
    checkpoints: last
      ? [
          { name: `step-${last.step}`, step: last.step, epoch: last.epoch, valPerplexity: best, best: false },
          { name: 'best', step: Math.floor(last.step / 2), epoch: last.epoch / 2, valPerplexity: best, best: true },
        ]
      : [],
    divergence: null,
    baselines: { uniform: 28, unigram: 17.4 },
    kernels: 'ts',
  };
}

/** Reading what train.py writes, and a result folder made without Python for the import tests. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INITIAL_WEIGHTS } from '../../src/core/export/train-elsewhere';
import type { MetricRecord } from '../../src/shared/runs';

/** metrics.jsonl as records (every line whole). */
export function readJsonl(path: string): MetricRecord[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as MetricRecord);
}

/** A result as train.py leaves it after one epoch of the run exported to `exported`: the initial weights as its checkpoint. */
export function fakeTrainResult(exported: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-elsewhere-result-'));
  for (const f of ['config.json', 'vocab.json']) cpSync(join(exported, f), join(dir, f));
  const records = [
    { kind: 'train', step: 5, epoch: 0.5, time: 0.1, loss: 3, perplexity: Math.exp(3), gradNorm: 1, lr: 1, tokensPerSec: 100 },
    { kind: 'val', step: 10, epoch: 1, time: 0.2, loss: 2.5, perplexity: Math.exp(2.5) },
    { kind: 'epoch', step: 10, epoch: 1, time: 0.2, loss: 2.8, perplexity: Math.exp(2.8), gradNorm: 1, lr: 1, tokensPerSec: null },
  ];
  writeFileSync(join(dir, 'metrics.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  cpSync(join(exported, INITIAL_WEIGHTS), join(dir, 'checkpoints', 'epoch-0001.safetensors'));
  return dir;
}

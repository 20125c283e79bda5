/** Reading what train.py writes. */
import { readFileSync } from 'node:fs';
import type { MetricRecord } from '../../src/shared/runs';

/** metrics.jsonl as records (every line whole). */
export function readJsonl(path: string): MetricRecord[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as MetricRecord);
}

/** A tiny real sweep on disk, and Optuna's reading of its journal. */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { inProcessLauncher } from '../../../src/core/training/in-process-launcher';
import { TrainingHost } from '../../../src/core/training/training-host';
import type { FileSystem } from '../../../src/core/fs/file-system';
import type { SweepDetail } from '../../../src/shared/sweep';

const PYTHON = process.env['RNNLAB_TORCH_PYTHON'] ?? '/usr/bin/python3';
const FIXTURES = resolve(import.meta.dirname, '../../fixtures/sweeps');

export interface OptunaTrial {
  number: number;
  state: string;
  params: Record<string, string | number>;
  distributions: Record<string, string>;
  value: number | null;
  intermediate_values: Record<string, number>;
  system_attrs: Record<string, unknown>;
  datetime_start: string | null;
  datetime_complete: string | null;
}

/** What Optuna 3.1 (Debian's python3-optuna, which .ci/run installs) reads from the journal. */
export function optunaRead(journal: string, studyName: string): { direction: string; trials: OptunaTrial[] } {
  try {
    return JSON.parse(execFileSync(PYTHON, [resolve(FIXTURES, 'read_journal.py'), journal, studyName], { encoding: 'utf8', timeout: 60_000 }));
  } catch (e) {
    throw new Error(`Optuna could not read ${journal}: ${(e as { stderr?: string }).stderr ?? (e as Error).message}`);
  }
}

/**
 * A training host that trains on this thread (fast for tiny models) and passes each epoch's
 * records on at once (no 100 ms batching), so a test that acts on an epoch acts before the next.
 */
export function testHost(fs: FileSystem, maxConcurrent = 1): TrainingHost {
  return new TrainingHost({ fs, launcher: inProcessLauncher(fs), maxConcurrent, threadsPerRun: 1, kernels: 'ts', eventIntervalMs: 0, onError: () => {} });
}

export type { SweepDetail };

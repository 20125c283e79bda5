import { describe, expect, it } from 'vitest';
import type { FileSystem } from '../../src/core/fs/file-system';
import { RunsService } from '../../src/core/services/runs-service';
import { readMetrics } from '../../src/core/services/run-files';
import { METRICS_LOG, runFile } from '../../src/core/store/layout';
import { readRun } from '../../src/core/store/runs';
import { inProcessLauncher } from '../../src/core/training/in-process-launcher';
import { TrainingHost } from '../../src/core/training/training-host';
import { memoryTrainingProject } from './training-fixtures';

/** Delegates to `fs` and counts every call that touches a metrics.log. */
function countingMetricsLog(fs: FileSystem): { fs: FileSystem; touches: () => number } {
  let n = 0;
  const wrapped = Object.create(fs) as FileSystem;
  for (const op of ['readFile', 'openRead', 'stat', 'lstat', 'truncate', 'openWrite'] as const) {
    const original = fs[op].bind(fs) as (path: string, ...rest: unknown[]) => Promise<unknown>;
    (wrapped as unknown as Record<string, unknown>)[op] = (path: string, ...rest: unknown[]) => {
      if (path.endsWith(METRICS_LOG)) n++;
      return original(path, ...rest);
    };
  }
  return { fs: wrapped, touches: () => n };
}

describe('runs:list and the best validation perplexity', () => {
  it('training keeps the best val perplexity in run.json, and listing shows it without touching metrics.log, even a huge garbage one', async () => {
    const p = await memoryTrainingProject();
    const id = await p.createRun({ epochs: 3 });
    const host = new TrainingHost({ fs: p.fs, launcher: inProcessLauncher(p.fs) });
    await host.start(p.dir, id);
    expect((await host.wait(p.dir, id)).state).toBe('done');

    const vals = (await readMetrics(p.fs, p.dir, id)).filter((m) => m.kind === 'val').map((m) => m.perplexity as number);
    expect(vals).toHaveLength(3);
    const best = Math.min(...vals);
    expect((await readRun(p.fs, p.dir, id)).bestValPerplexity).toBe(best);

    const counted = countingMetricsLog(p.fs);
    const runs = new RunsService({ fs: counted.fs });
    expect(await runs.list(p.dir)).toMatchObject([{ id, state: 'done', bestValPerplexity: best }]);
    expect(counted.touches()).toBe(0);

    const garbage = new Uint8Array(8 * 1024 * 1024);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
    p.fs.seedFile(runFile(p.dir, id, METRICS_LOG), garbage);
    expect(await runs.list(p.dir)).toMatchObject([{ id, bestValPerplexity: best }]);
    expect(counted.touches()).toBe(0);
  });
});

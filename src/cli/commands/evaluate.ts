import { NodeFileSystem } from '../../core/fs/node-file-system';
import { evaluateKStep } from '../../engine/forecast/evaluate';
import { SeriesError } from '../../engine/forecast/series';
import { bool, flagHelp, parseFlags, str, type FlagTable } from '../args';
import type { Command } from '../command';
import { loadForecastRun } from '../../core/forecast/forecast-run';
import { findRun, openProjectDir } from '../project-access';
import { UsageError } from '../usage-error';

const flags: FlagTable = {
  project: { kind: 'string', help: 'Project folder.', required: true },
  run: { kind: 'string', help: 'Forecast run id (rnn-lab runs lists them).', required: true },
  k: { kind: 'string', help: 'Steps ahead, comma-separated (default 1,4,16,64).' },
  json: { kind: 'boolean', help: 'One JSON object on stdout.' },
};

/** "1,4,16" → [1, 4, 16]; anything else is a usage error naming --k. */
export function parseKs(text: string): number[] {
  const ks = text.split(',').map((s) => s.trim());
  if (ks.some((s) => !/^\d+$/.test(s) || Number(s) < 1)) throw new UsageError(`--k: must be positive whole numbers separated by commas (got "${text}")`);
  return ks.map(Number);
}

export const evaluateCommand: Command = {
  summary: "MSE of a forecast run's k-step-ahead predictions on its validation and test part",
  usage: ['Usage: rnn-lab evaluate --project DIR --run ID [--k 1,4,16,64] [--json]', '', ...flagHelp(flags)].join('\n'),
  async run(args, io) {
    const f = parseFlags(args, flags);
    const ks = parseKs(str(f, 'k') ?? '1,4,16,64');
    const fs = new NodeFileSystem();
    const projectDir = await openProjectDir(fs, str(f, 'project')!);
    const runId = str(f, 'run')!;
    await findRun(fs, projectDir, runId);
    const run = await loadForecastRun(fs, projectDir, runId);
    if (run.windows.features !== 1) throw new UsageError(`--run: ${runId} has covariates; k-step predictions feed predictions back in, which needs a run on its target alone`);
    let report;
    try {
      report = evaluateKStep(run.model, run.windows, run.norm, ks, run.trainEnd);
    } catch (e) {
      if (e instanceof SeriesError) throw new UsageError(`--k: ${e.message}`);
      throw e;
    }
    const out = { k: report.k, mse: report.mse, baseline_mse: report.lastValueMse, origins: report.origins.length, from: run.trainEnd };
    if (bool(f, 'json')) io.out(JSON.stringify(out));
    else for (const [i, k] of report.k.entries()) io.out(`k=${String(k).padStart(4)}  mse ${report.mse[i]!.toFixed(4)}  (last value ${report.lastValueMse[i]!.toFixed(4)})`);
    return 0;
  },
};

import { NodeFileSystem } from '../../core/fs/node-file-system';
import { recursiveForecast } from '../../engine/forecast/evaluate';
import { bool, flagHelp, num, parseFlags, str, type FlagTable } from '../args';
import type { Command } from '../command';
import { loadForecastRun } from '../../core/forecast/forecast-run';
import { findRun, openProjectDir } from '../project-access';
import { UsageError } from '../usage-error';

const flags: FlagTable = {
  project: { kind: 'string', help: 'Project folder.', required: true },
  run: { kind: 'string', help: 'Forecast run id (rnn-lab runs lists them).', required: true },
  steps: { kind: 'number', help: 'Values to forecast (1..100000).', required: true },
  from: { kind: 'number', help: 'Row index of the first forecast value; the window before it is observed (default: just past the end).' },
  json: { kind: 'boolean', help: 'One JSON object on stdout.' },
};

export const forecastCommand: Command = {
  summary: 'Forecast a series recursively with a forecast run, in original units',
  usage: ['Usage: rnn-lab forecast --project DIR --run ID --steps N [--from INDEX] [--json]', '', ...flagHelp(flags)].join('\n'),
  async run(args, io) {
    const f = parseFlags(args, flags);
    const steps = num(f, 'steps')!;
    if (!Number.isInteger(steps) || steps < 1 || steps > 100000) throw new UsageError(`--steps: must be a whole number in 1..100000 (got ${steps})`);
    const fs = new NodeFileSystem();
    const projectDir = await openProjectDir(fs, str(f, 'project')!);
    const runId = str(f, 'run')!;
    await findRun(fs, projectDir, runId);
    const run = await loadForecastRun(fs, projectDir, runId);
    const { windows, model, norm } = run;
    const W = windows.window, T = windows.length;
    const from = num(f, 'from') ?? T;
    if (!Number.isInteger(from) || from < W || from > T) throw new UsageError(`--from: must be a row index in ${W}..${T} (the ${W} rows before it are the observed window; got ${from})`);
    if (windows.features !== 1) throw new UsageError(`--run: ${runId} has covariates; a recursive forecast feeds predictions back in, which needs a run on its target alone`);
    // a horizon-H run feeds its H predictions back at a time, as it was trained to predict them
    const { index, forecast } = recursiveForecast(model, windows, norm, from, steps);
    if (bool(f, 'json')) io.out(JSON.stringify({ index, forecast: Array.from(forecast) }));
    else for (let i = 0; i < steps; i++) io.out(`${index[i]}\t${forecast[i]}`);
    return 0;
  },
};

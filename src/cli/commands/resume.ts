import { NodeFileSystem } from '../../core/fs/node-file-system';
import { setRunState } from '../../core/store/runs';
import { readRunConfig } from '../../core/store/runs';
import { TrainingError } from '../../core/training/training-error';
import { forecastConfigSchema, isForecastConfig } from '../../shared/forecast-config';
import { runConfigFields } from '../../shared/run-config';
import { bool, flagHelp, num, parseFlags, str, type FlagTable } from '../args';
import type { Command } from '../command';
import { findRun, lockProject, openProjectDir } from '../project-access';
import { trainSession } from '../training-session';
import { UsageError } from '../usage-error';

const flags: FlagTable = {
  project: { kind: 'string', help: 'Project folder.', required: true },
  run: { kind: 'string', help: 'Run id (see rnn-lab runs).', required: true },
  epochs: { kind: 'number', help: 'Epoch total the run should reach.' },
  lr: { kind: 'number', help: 'New learning rate (e.g. lower, after a divergence).' },
  json: { kind: 'boolean', help: 'One JSON object per line on stdout.' },
};

/** A forecast run's new epoch total or learning rate, checked against the forecast config's ranges. */
function checkForecastRange(name: 'epochs' | 'lr', value: number | undefined): void {
  if (value === undefined) return;
  const issue = forecastConfigSchema.shape[name].safeParse(value).error?.issues[0];
  if (issue) throw new UsageError(`--${name}: ${issue.message} for a forecast run (got ${value})`);
}

function checkRange(name: 'epochs' | 'lr', value: number | undefined): void {
  if (value === undefined) return;
  const spec = runConfigFields[name];
  if (value < spec.min || value > spec.max || (spec.kind === 'int' && !Number.isInteger(value))) {
    throw new UsageError(`--${name}: ${spec.label} must be ${spec.kind === 'int' ? 'a whole number ' : ''}between ${spec.min} and ${spec.max} (got ${value})`);
  }
}

export const resumeCommand: Command = {
  summary: 'Continue a run (text or forecast) from its last checkpoint (optionally to more epochs or with a new learning rate)',
  usage: ['Usage: rnn-lab resume --project DIR --run ID [--epochs N] [--lr LR] [--json]', '', ...flagHelp(flags)].join('\n'),
  async run(args, io) {
    const f = parseFlags(args, flags);
    const epochs = num(f, 'epochs'), lr = num(f, 'lr');
    checkRange('epochs', epochs);
    checkRange('lr', lr);
    const fs = new NodeFileSystem();
    const projectDir = await openProjectDir(fs, str(f, 'project')!);
    await lockProject(fs, projectDir); // released when the command ends
    const runId = str(f, 'run')!;
    const run = await findRun(fs, projectDir, runId);
    const forecast = isForecastConfig(await readRunConfig(fs, projectDir, runId));
    if (forecast) {
      checkForecastRange('epochs', epochs);
      checkForecastRange('lr', lr);
    }
    // still marked running: the process that trained it ended without saving (this one trains it now)
    if (run.state === 'running') await setRunState(fs, projectDir, runId, 'interrupted', { message: 'The process training this run ended without saving.' });
    if (run.state === 'queued') throw new UsageError(`--run: ${runId} has not started yet`);
    try {
      return await trainSession({ projectDir, runId, json: bool(f, 'json'), task: forecast ? 'forecast' : 'language', resume: { ...(epochs !== undefined && { epochs }), ...(lr !== undefined && { lr }) } }, io);
    } catch (e) {
      // nothing to continue from: a refusal about the run named, like a missing file (exit 2)
      if (e instanceof TrainingError && e.code === 'NoCheckpoint') throw new UsageError(e.message);
      throw e;
    }
  },
};

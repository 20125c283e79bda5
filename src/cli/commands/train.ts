import { NodeFileSystem } from '../../core/fs/node-file-system';
import { RunsService } from '../../core/services/runs-service';
import { bool, flagHelp, parseFlags, str, type FlagTable } from '../args';
import type { Command } from '../command';
import { datasetForFile, lockProject, openOrCreateProject } from '../project-access';
import { runConfigFlagTable, runConfigFromFlags } from '../run-flags';
import { forecastTrainUsage, trainForecastCommand } from '../forecast/train-forecast';
import { trainSession } from '../training-session';
import { UsageError } from '../usage-error';

/** The value of --task (either form), or null when it is not given. */
function taskOf(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--task') return args[i + 1] ?? '';
    if (args[i]!.startsWith('--task=')) return args[i]!.slice('--task='.length);
  }
  return null;
}

const flags: FlagTable = {
  data: { kind: 'string', help: 'Text file to train on (imported into the project; reused if already there).', required: true },
  project: { kind: 'string', help: 'Project folder (created when missing).', required: true },
  ...runConfigFlagTable,
  json: { kind: 'boolean', help: 'One JSON object per line on stdout.' },
};

export const trainCommand: Command = {
  summary: 'Import a text file and train a new run on it',
  usage: ['Usage: rnn-lab train --data FILE --project DIR [run settings] [--json]', '', ...flagHelp(flags), '', forecastTrainUsage].join('\n'),
  async run(args, io) {
    const task = taskOf(args);
    if (task === 'forecast') return trainForecastCommand(args, io);
    if (task !== null && task !== 'language') throw new UsageError(`--task: must be language or forecast (got ${JSON.stringify(task)})`);
    const f = parseFlags(args.filter((a, i) => a !== '--task' && args[i - 1] !== '--task' && !a.startsWith('--task=')), flags);
    runConfigFromFlags(f, 'pending'); // refuse bad settings before anything is written
    const fs = new NodeFileSystem();
    const projectDir = await openOrCreateProject(fs, str(f, 'project')!);
    await lockProject(fs, projectDir); // released when the command ends
    const { dataset, reused } = await datasetForFile(fs, projectDir, str(f, 'data')!);
    const config = runConfigFromFlags(f, dataset.id);
    const runs = new RunsService({ fs });
    let runId: string;
    try {
      runId = (await runs.create(projectDir, config)).id;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'EmptyCorpus' || code === 'CorpusTooSmall') throw new UsageError(`--data: ${(e as Error).message}`);
      throw e;
    }
    const json = bool(f, 'json');
    const intro = { type: 'run', run: runId, project: projectDir, dataset: dataset.id, dataset_reused: reused, config };
    if (json) io.out(JSON.stringify(intro));
    else io.out(`run ${runId} in ${projectDir} (dataset ${dataset.id}${reused ? ', already imported' : ''}): ${config.cell} ${config.numLayers}×${config.hiddenSize}, ${config.epochs} epochs`);
    return trainSession({ projectDir, runId, json, resume: null }, io);
  },
};

import { NodeFileSystem } from '../../core/fs/node-file-system';
import { RunsService } from '../../core/services/runs-service';
import { bool, flagHelp, parseFlags, str, type FlagTable } from '../args';
import type { Command } from '../command';
import { openProjectDir } from '../project-access';

const flags: FlagTable = {
  project: { kind: 'string', help: 'Project folder.', required: true },
  json: { kind: 'boolean', help: 'One JSON object per run on stdout.' },
};

export const runsCommand: Command = {
  summary: 'List the runs of a project',
  usage: ['Usage: rnn-lab runs --project DIR [--json]', '', ...flagHelp(flags)].join('\n'),
  async run(args, io) {
    const f = parseFlags(args, flags);
    const fs = new NodeFileSystem();
    const projectDir = await openProjectDir(fs, str(f, 'project')!);
    const runs = await new RunsService({ fs }).list(projectDir);
    if (bool(f, 'json')) {
      for (const r of runs) io.out(JSON.stringify({ type: 'run', id: r.id, name: r.name, state: r.state, created: r.created, best_val_ppl: r.bestValPerplexity, message: r.message }));
      return 0;
    }
    if (runs.length === 0) io.out('No runs yet (rnn-lab train creates one).');
    for (const r of runs) {
      const best = r.bestValPerplexity === null ? '-' : r.bestValPerplexity.toFixed(3);
      io.out(`${r.id}  ${r.state.padEnd(11)}  best val ppl ${best.padStart(9)}  ${r.name}${r.message ? `  (${r.message})` : ''}`);
    }
    return 0;
  },
};

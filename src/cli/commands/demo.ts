import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyDemoProject } from '../../core/demo/demo-bundle';
import { NodeFileSystem } from '../../core/fs/node-file-system';
import { openProject } from '../../core/store/project';
import { flagHelp, parseFlags, str, type FlagTable } from '../args';
import type { Command } from '../command';
import { UsageError } from '../usage-error';

// resources/ seen from src/cli/commands/ (the command line runs from sources); a variable so a
// bundler would leave it alone
const RESOURCES_FROM_HERE = '../../../resources';

const flags: FlagTable = {
  project: { kind: 'string', help: 'Folder to write the demo project to (created when missing; must be empty).', required: true },
};

export const demoCommand: Command = {
  summary: 'Write the demo project (a corpus and two trained models) to a folder',
  usage: ['Usage: rnn-lab demo --project DIR', '', ...flagHelp(flags)].join('\n'),
  async run(args, io) {
    const f = parseFlags(args, flags);
    const dir = resolve(str(f, 'project')!);
    const fs = new NodeFileSystem();
    const st = await fs.stat(dir);
    if (st?.kind === 'file') throw new UsageError(`--project: ${dir} is a file, not a folder`);
    if (st?.kind === 'directory' && (await fs.readdir(dir)).length > 0) throw new UsageError(`--project: ${dir} is not empty; choose an empty or new folder`);
    await mkdir(dirname(dir), { recursive: true });
    await copyDemoProject(fs, fileURLToPath(new URL(RESOURCES_FROM_HERE, import.meta.url)), dir);
    const opened = await openProject(fs, dir);
    io.out(`demo project "${opened.project.name}" written to ${dir}`);
    for (const d of opened.datasets) io.out(`  dataset ${d.id}  ${d.name}`);
    for (const r of opened.runs) io.out(`  run ${r.id}  ${r.state}  ${r.name}`);
    io.out(`try: rnn-lab generate --project ${JSON.stringify(dir)} --run ${opened.runs[0]?.id ?? '<run>'} --prefix "the time traveller" --length 60 --greedy`);
    return 0;
  },
};

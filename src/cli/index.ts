/**
 * `rnn-lab <command> [flags]`: the headless command line over src/core. Each command is one entry
 * of the table below (src/cli/commands/*.ts). Exit codes: 0 success, 1 failure (including a run
 * that diverged or failed), 2 usage errors (unknown flag, out-of-range value, missing file — one
 * line on stderr naming the flag), 3 the project is locked by another RNN Lab process (the line
 * names its pid, host and since when), 130 training interrupted by Ctrl-C (129 SIGHUP, 143
 * SIGTERM; resume continues it).
 */
import { readFileSync } from 'node:fs';
import type { Command } from './command';
import { demoCommand } from './commands/demo';
import { demoSeriesCommand } from './commands/demo-series';
import { evaluateCommand } from './commands/evaluate';
import { exportCommand } from './commands/export';
import { forecastCommand } from './commands/forecast';
import { generateCommand } from './commands/generate';
import { importCommand } from './commands/import';
import { resumeCommand } from './commands/resume';
import { runsCommand } from './commands/runs';
import { scoreCommand } from './commands/score';
import { trainCommand } from './commands/train';
import { sweepCommand } from './commands/sweep';
import type { CliIo } from './io';
import { releaseProjectLocks } from './project-access';
import { UsageError } from './usage-error';
import { inspectCommand } from './commands/inspect';
import { saturationCommand } from './commands/saturation';
import { ForecastError } from '../core/forecast/forecast-error';
import { ProjectLockError } from '../core/store/project-lock-error';

export type { CliIo } from './io';
export { UsageError } from './usage-error';

const commands: Record<string, Command> = {
  train: trainCommand,
  resume: resumeCommand,
  runs: runsCommand,
  generate: generateCommand,
  score: scoreCommand,
  export: exportCommand,
  import: importCommand,
  demo: demoCommand,
  'demo-series': demoSeriesCommand,
  evaluate: evaluateCommand,
  forecast: forecastCommand,
  inspect: inspectCommand,
  saturation: saturationCommand,
  sweep: sweepCommand,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function help(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return ['Usage: rnn-lab <command> [flags]', '', 'Commands:', ...lines, '', 'rnn-lab <command> --help shows its flags; rnn-lab --version prints the version.'].join('\n');
}

const processIo = (): CliIo => ({
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  status: process.stderr,
});

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(version());
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.err(`rnn-lab: unknown command "${name}" (try rnn-lab --help)`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`rnn-lab ${name}: ${err.message}`);
      return 2;
    }
    if (err instanceof ForecastError) {
      // a refusal of the data or the settings: name the flag the field comes from
      io.err(`rnn-lab ${name}: --${err.field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${err.message}`);
      return 2;
    }
    if (err instanceof ProjectLockError) {
      io.err(`rnn-lab ${name}: ${err.message}`);
      return 3;
    }
    io.err(`rnn-lab ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await releaseProjectLocks();
  }
}

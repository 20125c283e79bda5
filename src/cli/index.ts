/**
 * `rnn-lab <command> [flags]`: the headless command line over src/core. Each command is one entry
 * of the table below; usage errors exit with code 2 and a one-line message naming the problem.
 */
import { readFileSync } from 'node:fs';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

interface Command {
  summary: string;
  run(args: string[], io: CliIo): Promise<number>;
}

const commands: Record<string, Command> = {};

export class UsageError extends Error {}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function help(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return ['Usage: rnn-lab <command> [flags]', '', 'Commands:', ...(lines.length ? lines : ['  (none yet)']), '', 'rnn-lab --version prints the version.'].join('\n');
}

export async function main(argv: string[], io: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(version());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`rnn-lab: unknown command "${name}" (try rnn-lab --help)`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`rnn-lab ${name}: ${err.message}`);
      return 2;
    }
    io.err(`rnn-lab ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

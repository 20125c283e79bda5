import type { CliIo } from './io';

export interface Command {
  summary: string;
  /** The full usage text (`rnn-lab <command> --help`). */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

import type { StatusStream } from './progress-bar';

/** Where a command writes: result lines (stdout), error lines (stderr), and the terminal status line. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Progress bar target; drawn only when `isTTY` (default: process.stderr). */
  status?: StatusStream;
}

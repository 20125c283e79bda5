/** The package bin as a child process, as a user runs it: its JSON lines, its stderr, its exit. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  proc: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited: boolean;
  /** Resolves once a stdout JSON line passes `test`. */
  waitFor(test: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

export function cli(args: string[]): Child {
  const proc = spawn(process.execPath, ['bin/rnn-lab.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const waiters: { test: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  const child: Child = {
    proc, lines: [], stderr: '', exited: false,
    exit: new Promise((resolve) => proc.on('exit', (code, signal) => {
      child.exited = true;
      resolve({ code, signal });
    })),
    waitFor: (test) => {
      const seen = child.lines.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ test, resolve });
        void child.exit.then(() => reject(new Error(`the process exited before the line came; stderr: ${child.stderr}`)));
      });
    },
  };
  let buffer = '';
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
      buffer = buffer.slice(nl + 1);
      child.lines.push(line);
      for (const w of waiters.filter((w) => w.test(line))) w.resolve(line);
    }
  });
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (child.stderr += chunk));
  return child;
}

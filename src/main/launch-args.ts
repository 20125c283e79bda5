/**
 * Which project a launch names: `rnn-lab-app /path/to/My project.rnnlab` (or a second launch
 * forwarded to the running app with its argv and working directory). Pure, so it is tested without
 * Electron. Flags (`--inspect`, Chromium switches) and the executable and script are skipped; the
 * last argument that names a `.rnnlab` folder wins.
 */
import { isAbsolute, resolve } from 'node:path';

export function projectDirFromArgv(argv: readonly string[], workingDirectory: string): string | null {
  for (let i = argv.length - 1; i >= 1; i--) {
    const arg = argv[i]!;
    if (arg.startsWith('-') || arg.includes('\u0000')) continue;
    const trimmed = arg.replace(/[\\/]+$/, '');
    if (!/\.rnnlab$/i.test(trimmed)) continue;
    return isAbsolute(trimmed) ? resolve(trimmed) : resolve(workingDirectory, trimmed);
  }
  return null;
}

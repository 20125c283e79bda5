// `npm start` runs this before `electron-vite preview`: a missing Electron binary gets the way
// forward in plain words and exit code 1, instead of electron-vite's "Electron uninstall" trace.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { electronBinaryProblem } from './electron-binary';

function electronDir(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

const problem = electronBinaryProblem({
  electronDir: electronDir(),
  env: process.env,
  nodeVersion: process.version,
  exists: existsSync,
  read: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : null),
});
if (problem !== null) {
  console.error(problem);
  process.exitCode = 1;
}

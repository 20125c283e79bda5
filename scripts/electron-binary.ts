/**
 * Whether Electron's binary is there for `npm start`, found the way electron-vite finds it
 * (ELECTRON_EXEC_PATH, else node_modules/electron/path.txt naming a file under dist/), without
 * requiring the `electron` package: its index.js starts a download when the binary is missing.
 * Installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1 (CI, offline machines) have the package only.
 */
import { join } from 'node:path';

export interface ElectronLookup {
  /** node_modules/electron, or null when the package is not installed at all. */
  electronDir: string | null;
  env: Record<string, string | undefined>;
  nodeVersion: string;
  exists(path: string): boolean;
  /** The file's text, or null when it does not exist. */
  read(path: string): string | null;
}

/** Electron 45's installer (@electron/get) declares this Node version. */
const INSTALLER_NODE = [22, 12] as const;

/** Null when the binary is in place; otherwise what to tell the person who typed `npm start`. */
export function electronBinaryProblem(lookup: ElectronLookup): string | null {
  const missing = findMissing(lookup);
  return missing === null ? null : explain(missing, lookup);
}

type Missing = { kind: 'package' } | { kind: 'never-downloaded'; pathFile: string } | { kind: 'file'; path: string; from: string };

function findMissing({ electronDir, env, exists, read }: ElectronLookup): Missing | null {
  const override = env['ELECTRON_EXEC_PATH'];
  if (override) return exists(override) ? null : { kind: 'file', path: override, from: 'ELECTRON_EXEC_PATH' };
  if (electronDir === null) return { kind: 'package' };
  const pathFile = join(electronDir, 'path.txt');
  const executable = read(pathFile)?.trim();
  if (!executable) return { kind: 'never-downloaded', pathFile };
  const binary = join(electronDir, 'dist', executable);
  return exists(binary) ? null : { kind: 'file', path: binary, from: pathFile };
}

function explain(missing: Missing, { nodeVersion }: ElectronLookup): string {
  const what =
    missing.kind === 'package'
      ? 'the electron package is not installed (node_modules/electron is missing).'
      : missing.kind === 'never-downloaded'
        ? `Electron's binary was never downloaded (${missing.pathFile} does not exist), as after an install with ELECTRON_SKIP_BINARY_DOWNLOAD=1.`
        : `Electron's binary is missing: ${missing.path} (named by ${missing.from}) does not exist.`;
  const [major = 0, minor = 0] = nodeVersion.replace(/^v/, '').split('.').map(Number);
  const oldNode = major < INSTALLER_NODE[0] || (major === INSTALLER_NODE[0] && minor < INSTALLER_NODE[1]);
  return [
    `RNN Lab cannot open its window: ${what}`,
    '',
    'To get it (needs the network):',
    missing.kind === 'package' ? '  npm install                            installs the dependencies, Electron included' : '  node node_modules/electron/install.js  downloads the binary for the installed Electron',
    '  npm ci                                 or reinstall everything, without ELECTRON_SKIP_BINARY_DOWNLOAD',
    ...(oldNode ? [`  (Electron's installer asks for Node ${INSTALLER_NODE.join('.')} or newer; this is Node ${nodeVersion.replace(/^v/, '')}.)`] : []),
    'then run npm start again.',
    '',
    'Everything else works offline, without Electron:',
    '  npx rnn-lab --help                     train, generate and export from the command line',
    '  npm test                               lint, typecheck, unit and security tests',
    '  npm run test:e2e                       the app in a real Chromium (/usr/bin/chromium) over the real core',
  ].join('\n');
}

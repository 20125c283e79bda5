import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronBinaryProblem, type ElectronLookup } from '../../scripts/electron-binary';

const ROOT = resolve(import.meta.dirname, '../..');

/** A node_modules/electron folder on disk, as an install with or without the binary leaves it. */
function fakeElectron(state: 'skipped-download' | 'binary-deleted' | 'installed'): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'rnnlab-electron-')), 'electron');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), '{"name":"electron","version":"45.5.0"}');
  if (state !== 'skipped-download') writeFileSync(join(dir, 'path.txt'), 'electron');
  if (state === 'installed') {
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '');
  }
  return dir;
}

function lookup(over: Partial<ElectronLookup>): ElectronLookup {
  return {
    electronDir: null,
    env: {},
    nodeVersion: 'v22.22.2',
    exists: existsSync,
    read: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : null),
    ...over,
  };
}

describe('the Electron binary check before npm start', () => {
  it('says the binary was never downloaded, how to get it, and what works offline', () => {
    const dir = fakeElectron('skipped-download');
    const message = electronBinaryProblem(lookup({ electronDir: dir }));
    expect(message).toContain(`${join(dir, 'path.txt')} does not exist`);
    expect(message).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD=1');
    expect(message).toContain('node node_modules/electron/install.js');
    expect(message).toContain('npm ci');
    expect(message).toContain('npx rnn-lab --help');
    expect(message).toContain('npm run test:e2e');
  });

  it('names the missing binary when path.txt points at a file that is gone', () => {
    const dir = fakeElectron('binary-deleted');
    expect(electronBinaryProblem(lookup({ electronDir: dir }))).toContain(`${join(dir, 'dist', 'electron')} (named by ${join(dir, 'path.txt')}) does not exist`);
  });

  it('lets npm start go on when the binary is in place', () => {
    expect(electronBinaryProblem(lookup({ electronDir: fakeElectron('installed') }))).toBeNull();
  });

  it('follows ELECTRON_EXEC_PATH as electron-vite does', () => {
    const binary = join(fakeElectron('installed'), 'dist', 'electron');
    expect(electronBinaryProblem(lookup({ electronDir: fakeElectron('skipped-download'), env: { ELECTRON_EXEC_PATH: binary } }))).toBeNull();
    const gone = join(tmpdir(), 'rnnlab-no-such-dir', 'electron');
    expect(electronBinaryProblem(lookup({ electronDir: fakeElectron('installed'), env: { ELECTRON_EXEC_PATH: gone } }))).toContain(`${gone} (named by ELECTRON_EXEC_PATH)`);
  });

  it('asks for npm install when the electron package itself is missing', () => {
    const message = electronBinaryProblem(lookup({ electronDir: null }));
    expect(message).toContain('node_modules/electron is missing');
    expect(message).toMatch(/^ {2}npm install /m);
  });

  it("mentions the Node version Electron's installer asks for only on an older Node", () => {
    const dir = fakeElectron('skipped-download');
    expect(electronBinaryProblem(lookup({ electronDir: dir, nodeVersion: 'v20.20.2' }))).toContain('Node 22.12 or newer; this is Node 20.20.2');
    expect(electronBinaryProblem(lookup({ electronDir: dir, nodeVersion: 'v22.12.0' }))).not.toContain('Node 22.12 or newer');
  });

  it('makes npm start stop with the message and exit code 1, before electron-vite runs', () => {
    const gone = join(tmpdir(), 'rnnlab-no-such-dir', 'electron');
    const run = spawnSync('npm', ['start', '--silent'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ELECTRON_EXEC_PATH: gone }, timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`RNN Lab cannot open its window: Electron's binary is missing: ${gone}`);
    expect(run.stderr).toContain('npx rnn-lab --help');
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/electron-vite|vite v\d|building/i);
  });
});

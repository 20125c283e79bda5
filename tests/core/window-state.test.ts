import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { loadWindowState, saveWindowState, WINDOW_STATE_FILE } from '../../src/core/window-state';

const fs = new NodeFileSystem();

describe('window state', () => {
  it('remembers size, position and maximised state across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnnlab-ws-'));
    expect(await loadWindowState(fs, dir)).toBeNull();
    await saveWindowState(fs, dir, { width: 1400.4, height: 900, x: 10, y: 20, maximized: true });
    expect(await loadWindowState(fs, dir)).toEqual({ width: 1400, height: 900, x: 10, y: 20, maximized: true });
  });

  it('ignores a damaged or implausible file instead of failing to start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnnlab-ws-'));
    writeFileSync(join(dir, WINDOW_STATE_FILE), '{"formatVersion":1,"width":');
    expect(await loadWindowState(fs, dir)).toBeNull();
    writeFileSync(join(dir, WINDOW_STATE_FILE), JSON.stringify({ formatVersion: 1, width: 5, height: 1e9, maximized: false }));
    expect(await loadWindowState(fs, dir)).toBeNull();
  });
});

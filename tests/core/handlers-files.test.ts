import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { createFileHandlers } from '../../src/core/handlers/files-handlers';
import { createDispatcher } from '../../src/main/router';
import { unavailableHandlers } from '../helpers/unavailable-handlers';

const event = { sender: { id: 1 }, senderFrame: { url: 'app', parent: null } };

describe('files:save', () => {
  it('writes the bytes where the user chose, decoding base64 images and utf8 tables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnnlab-save-'));
    const choose = vi.fn(async (_purpose: string, name: string) => join(dir, name));
    const handlers = { ...unavailableHandlers(), ...createFileHandlers({ fs: new NodeFileSystem(), chooseSavePath: choose }) };
    const dispatch = createDispatcher(handlers, () => null);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]).toString('base64');
    expect(await dispatch(event, 'files:save', { purpose: 'chart-png', suggestedName: 'chart.png', data: png, encoding: 'base64' })).toEqual({ ok: true, value: { path: join(dir, 'chart.png') } });
    expect([...readFileSync(join(dir, 'chart.png'))]).toEqual([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    await dispatch(event, 'files:save', { purpose: 'metrics-csv', suggestedName: 'm.csv', data: 'step,ppl\n1,28.5\n', encoding: 'utf8' });
    expect(readFileSync(join(dir, 'm.csv'), 'utf8')).toBe('step,ppl\n1,28.5\n');
    expect(choose).toHaveBeenCalledWith('chart-png', 'chart.png');
  });

  it('writes nothing when the user cancels the dialog', async () => {
    const fs = new NodeFileSystem();
    const write = vi.spyOn(fs, 'openWrite');
    const { 'files:save': save } = createFileHandlers({ fs, chooseSavePath: async () => null });
    expect(await save({ purpose: 'metrics-csv', suggestedName: 'm.csv', data: 'x', encoding: 'utf8' })).toEqual({ path: null });
    expect(write).not.toHaveBeenCalled();
  });
  it("refuses a destination inside a project's data and leaves the project file as it was", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnnlab-save-'));
    writeFileSync(join(dir, 'project.json'), '{"formatVersion":1}');
    const { 'files:save': save } = createFileHandlers({ fs: new NodeFileSystem(), chooseSavePath: async () => join(dir, 'project.json') });
    await expect(save({ purpose: 'metrics-csv', suggestedName: 'm.csv', data: 'x', encoding: 'utf8' })).rejects.toMatchObject({ code: 'ProjectData' });
    expect(readFileSync(join(dir, 'project.json'), 'utf8')).toBe('{"formatVersion":1}');
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { importWeights } from '../../src/core/export';
import type { FileSystem } from '../../src/core/fs/file-system';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { createProject } from '../../src/core/store/project';
import { listRuns } from '../../src/core/store/runs';
import { encodeSafetensors } from '../../src/engine/formats';

const validWeights = () => encodeSafetensors(new Map([['w', { shape: [4], data: new Float32Array([1, 2, 3, 4]) }]]), {}, { checksum: false });

/** A project, harmless config/vocab files, and a file system that counts whole-file reads. */
async function setup() {
  const root = mkdtempSync(join(tmpdir(), 'rnnlab-import-checks-'));
  const node = new NodeFileSystem();
  const projectDir = join(root, 'p.rnnlab');
  await createProject(node, projectDir, 'P');
  const configPath = join(root, 'config.json');
  const vocabPath = join(root, 'vocab.json');
  writeFileSync(configPath, '{}');
  writeFileSync(vocabPath, '{}');
  const weightsPath = join(root, 'ok.safetensors');
  writeFileSync(weightsPath, validWeights());
  const wholeReads: string[] = [];
  const fs = Object.create(node) as FileSystem;
  fs.readFile = (path: string) => {
    wholeReads.push(path);
    return node.readFile(path);
  };
  const refusal = async (request: Partial<{ weightsPath: string; configPath: string; vocabPath: string; jsonPath: string }>) => {
    const files = request.jsonPath !== undefined ? { jsonPath: request.jsonPath } : { weightsPath, configPath, vocabPath, ...request };
    const error = await importWeights(fs, { projectDir, ...files } as Parameters<typeof importWeights>[1]).then(
      () => null,
      (e: unknown) => e as { code: string; message: string; details: Record<string, unknown> },
    );
    expect((await listRuns(node, projectDir)).runs).toEqual([]); // nothing written
    return error;
  };
  return { root, projectDir, configPath, vocabPath, wholeReads, refusal };
}

describe('import --weights checks a file before reading it', () => {
  it('refuses /dev/zero as weights, config or JSON model without reading it', async () => {
    const { wholeReads, refusal } = await setup();
    expect(await refusal({ weightsPath: '/dev/zero' })).toMatchObject({ code: 'NotAFile', details: { role: 'weights', file: '/dev/zero', kind: 'other' }, message: expect.stringContaining('/dev/zero') });
    expect(await refusal({ configPath: '/dev/zero' })).toMatchObject({ code: 'NotAFile', details: { role: 'config', file: '/dev/zero' } });
    expect(await refusal({ jsonPath: '/dev/zero' })).toMatchObject({ code: 'NotAFile', details: { role: 'JSON model' } });
    expect(wholeReads.filter((p) => p === '/dev/zero')).toEqual([]);
  });

  it('refuses a FIFO and a folder instead of blocking on them', { timeout: 10_000 }, async () => {
    const { root, wholeReads, refusal } = await setup();
    const fifo = join(root, 'model.safetensors');
    execFileSync('mkfifo', [fifo]);
    expect(await refusal({ weightsPath: fifo })).toMatchObject({ code: 'NotAFile', details: { file: fifo, kind: 'other' } });
    expect(await refusal({ vocabPath: fifo })).toMatchObject({ code: 'NotAFile', details: { role: 'vocab' } });
    expect(await refusal({ jsonPath: fifo })).toMatchObject({ code: 'NotAFile' });
    const folder = join(root, 'folder.safetensors');
    mkdirSync(folder);
    expect(await refusal({ weightsPath: folder })).toMatchObject({ code: 'NotAFile', details: { kind: 'directory' }, message: expect.stringContaining('a folder') });
    expect(wholeReads.filter((p) => p === fifo || p === folder)).toEqual([]);
  });

  it('refuses a file that claims a 2^40-byte header after reading only its first 8 bytes', async () => {
    const { root, wholeReads, refusal } = await setup();
    const path = join(root, 'huge-header.safetensors');
    const bytes = new Uint8Array(64);
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 40n, true);
    writeFileSync(path, bytes);
    const error = await refusal({ weightsPath: path });
    expect(error).toMatchObject({ code: 'InvalidWeightsFile', details: { file: path, reason: 'HeaderTooLarge', headerLength: 2 ** 40 } });
    expect(error!.message).toContain(path);
    expect(wholeReads).not.toContain(path);
  });

  it('refuses a file larger, or smaller, than its header declares before reading its data', async () => {
    const { root, wholeReads, refusal } = await setup();
    const good = validWeights();
    const longer = join(root, 'longer.safetensors');
    writeFileSync(longer, new Uint8Array([...good, 0, 0, 0, 0]));
    expect(await refusal({ weightsPath: longer })).toMatchObject({ code: 'InvalidWeightsFile', details: { file: longer, reason: 'TrailingBytes', extra: 4 } });
    const shorter = join(root, 'shorter.safetensors');
    writeFileSync(shorter, good.subarray(0, good.length - 4));
    expect(await refusal({ weightsPath: shorter })).toMatchObject({ code: 'InvalidWeightsFile', details: { file: shorter, reason: 'Truncated' } });
    const tiny = join(root, 'tiny.safetensors');
    writeFileSync(tiny, new Uint8Array(3));
    expect(await refusal({ weightsPath: tiny })).toMatchObject({ code: 'InvalidWeightsFile', details: { reason: 'Truncated' } });
    expect(wholeReads.filter((p) => p.endsWith('.safetensors'))).toEqual([]);
  });

  it('rnn-lab import answers /dev/zero with exit code 1 and a sentence naming the file', async () => {
    const { projectDir, configPath, vocabPath } = await setup();
    const err: string[] = [];
    const code = await main(['import', '--project', projectDir, '--weights', '/dev/zero', '--config', configPath, '--vocab', vocabPath], { out: () => undefined, err: (l) => err.push(l) });
    expect(code).toBe(1);
    expect(err[0]).toBe('rnn-lab import: The weights file /dev/zero is not a regular file but a device, pipe or socket; choose the file itself.');
  });
});

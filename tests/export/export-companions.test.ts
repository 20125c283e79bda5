import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportRun, importWeights } from '../../src/core/export';
import { trainedProject } from './project-fixture';

describe('safetensors export beside other files', () => {
  let project: Awaited<ReturnType<typeof trainedProject>>;
  beforeAll(async () => {
    project = await trainedProject({}, 3);
  }, 60_000);

  it('names config and vocabulary after a NAME.safetensors path and leaves a config.json already there untouched', async () => {
    const { fs, dir, runId } = project;
    const out = mkdtempSync(join(tmpdir(), 'rnnlab-companions-'));
    writeFileSync(join(out, 'config.json'), '{"mine": true}');
    writeFileSync(join(out, 'vocab.json'), '{"also": "mine"}');
    const result = await exportRun(fs, { projectDir: dir, runId, checkpoint: null, format: 'safetensors', out: join(out, 'tiny.safetensors') });
    expect(result.files.map((f) => f.path)).toEqual([join(out, 'tiny.safetensors'), join(out, 'tiny.config.json'), join(out, 'tiny.vocab.json')]);
    expect(readFileSync(join(out, 'config.json'), 'utf8')).toBe('{"mine": true}');
    expect(readFileSync(join(out, 'vocab.json'), 'utf8')).toBe('{"also": "mine"}');
    // the three files it wrote import back as a run
    const back = await importWeights(fs, { projectDir: dir, weightsPath: join(out, 'tiny.safetensors'), configPath: join(out, 'tiny.config.json'), vocabPath: join(out, 'tiny.vocab.json') });
    expect(back.state).toBe('done');
  });

  it('keeps config.json and vocab.json for a folder, re-exports over its own files, and refuses a folder whose config.json is someone else’s', async () => {
    const { fs, dir, runId } = project;
    const out = mkdtempSync(join(tmpdir(), 'rnnlab-companions-'));
    const first = await exportRun(fs, { projectDir: dir, runId, checkpoint: null, format: 'safetensors', out: join(out, 'pt') });
    expect(first.files.map((f) => f.path)).toEqual([join(out, 'pt/model.safetensors'), join(out, 'pt/config.json'), join(out, 'pt/vocab.json')]);
    await expect(exportRun(fs, { projectDir: dir, runId, checkpoint: null, format: 'safetensors', out: join(out, 'pt') })).resolves.toMatchObject({ files: first.files });

    const other = join(out, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'config.json'), '{"mine": true}');
    await expect(exportRun(fs, { projectDir: dir, runId, checkpoint: null, format: 'safetensors', out: other })).rejects.toMatchObject({ code: 'WouldOverwrite', message: expect.stringContaining('config.json') });
    expect(readFileSync(join(other, 'config.json'), 'utf8')).toBe('{"mine": true}');
    expect(existsSync(join(other, 'model.safetensors'))).toBe(false);
  });
  it("refuses to write an export over the project's own files, and keeps every one of them byte for byte", async () => {
    const { fs, dir, runId } = project;
    const checkpoints = join(dir, 'runs', runId, 'checkpoints');
    const checkpoint = join(checkpoints, readdirSync(checkpoints)[0]!);
    const before = [join(dir, 'project.json'), checkpoint].map((p) => readFileSync(p));
    for (const [format, out] of [['json', join(dir, 'project.json')], ['onnx', checkpoint], ['safetensors', join(dir, 'runs')], ['html', join(dir, 'datasets', 'page.html')]] as const) {
      await expect(exportRun(fs, { projectDir: dir, runId, checkpoint: null, format, out })).rejects.toMatchObject({ code: 'ProjectData', message: expect.stringContaining(dir) });
    }
    expect([join(dir, 'project.json'), checkpoint].map((p) => readFileSync(p))).toEqual(before);
    expect(existsSync(join(dir, 'runs', 'model.safetensors'))).toBe(false);
    // a folder of the user's own inside the project is fine
    const mine = await exportRun(fs, { projectDir: dir, runId, checkpoint: null, format: 'onnx', out: join(dir, 'exports', 'model.onnx') });
    expect(readFileSync(mine.files[0]!.path).length).toBe(mine.files[0]!.bytes);
  });
});

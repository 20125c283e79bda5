import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { trainedProject } from './project-fixture';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('rnn-lab export and import', () => {
  let project: Awaited<ReturnType<typeof trainedProject>>;
  let out: string;
  beforeAll(async () => {
    project = await trainedProject({ cell: 'lstm', numLayers: 2, embeddingDim: 8 });
    out = mkdtempSync(join(tmpdir(), 'rnnlab-cli-export-'));
  });

  it('exports every format and imports the PyTorch files back as a run that generates the same text', async () => {
    const { dir, runId } = project;
    for (const [format, path] of [['safetensors', 'pt'], ['onnx', 'model.onnx'], ['json', 'model.json'], ['html', 'demo.html']] as const) {
      const c = capture();
      expect(await main(['export', '--project', dir, '--run', runId, '--format', format, '--out', join(out, path), '--json'], c.io)).toBe(0);
      const result = JSON.parse(c.out[0]!) as { checkpoint: string; files: Array<{ path: string; bytes: number }> };
      expect(result.checkpoint).toMatch(/^step-\d{12}\.safetensors$/);
      for (const f of result.files) expect(readFileSync(f.path).length).toBe(f.bytes);
    }
    expect(['model.safetensors', 'config.json', 'vocab.json'].every((f) => existsSync(join(out, 'pt', f)))).toBe(true);

    const imp = capture();
    expect(await main(['import', '--project', dir, '--weights', join(out, 'pt/model.safetensors'), '--config', join(out, 'pt/config.json'), '--vocab', join(out, 'pt/vocab.json'), '--name', 'Round trip', '--json'], imp.io)).toBe(0);
    const imported = JSON.parse(imp.out[0]!) as { id: string; name: string; state: string };
    expect(imported).toMatchObject({ name: 'Round trip', state: 'done' });

    const fromJson = capture();
    expect(await main(['import', '--project', dir, '--from-json', join(out, 'model.json'), '--json'], fromJson.io)).toBe(0);
    const second = JSON.parse(fromJson.out[0]!) as { id: string };

    const generate = async (run: string) => {
      const c = capture();
      expect(await main(['generate', '--project', dir, '--run', run, '--prefix', 'the time', '--length', '60', '--greedy'], c.io)).toBe(0);
      return c.out.join('\n');
    };
    const original = await generate(runId);
    expect(original.startsWith('the time')).toBe(true);
    expect(await generate(imported.id)).toBe(original);
    expect(await generate(second.id)).toBe(original);
  });

  it('answers usage errors with exit code 2 and the flag named', async () => {
    const { dir, runId } = project;
    const c = capture();
    expect(await main(['export', '--project', dir, '--run', runId, '--format', 'tflite', '--out', join(out, 'x')], c.io)).toBe(2);
    expect(c.err[0]).toContain('--format must be one of safetensors, onnx, json, html');
    const d = capture();
    expect(await main(['import', '--project', dir, '--weights', join(out, 'pt/model.safetensors')], d.io)).toBe(2);
    expect(d.err[0]).toContain('--config is required');
  });

  it('fails with exit code 1 and names the tensor when the weights do not fit the config', async () => {
    const { dir } = project;
    const config = JSON.parse(readFileSync(join(out, 'pt/config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(out, 'other-config.json'), JSON.stringify({ ...config, embedding_dim: 4 }));
    const c = capture();
    expect(await main(['import', '--project', dir, '--weights', join(out, 'pt/model.safetensors'), '--config', join(out, 'other-config.json'), '--vocab', join(out, 'pt/vocab.json')], c.io)).toBe(1);
    expect(c.err[0]).toBe('rnn-lab import: The tensor “embedding.weight” has shape [20, 8], but this model needs [20, 4].');
  });
});

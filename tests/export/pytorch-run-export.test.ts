/** The "Train elsewhere" folder itself (no Python): what train.py starts from, and what it refuses to overwrite. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { exportPytorchRun } from '../../src/core/export/train-elsewhere';
import { loadRunData } from '../../src/core/services/run-data';
import { decodeSafetensors } from '../../src/engine/formats';
import { Trainer, trainerOptionsFromRunConfig } from '../../src/engine/train';
import { corpus, diskTrainingProject, type TrainingProject } from '../core/training-fixtures';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('a run exported for PyTorch', () => {
  let project: TrainingProject;
  let runId: string;
  beforeAll(async () => {
    project = await diskTrainingProject(corpus(3000, 5));
    runId = await project.createRun({ cell: 'lstm', numLayers: 2, hiddenSize: 8, embeddingDim: 4, dropout: 0.2, maxTokens: 2500, valFraction: 0.2 });
  });

  it('holds our token ids, the weights our trainer starts from and the iterator state it draws from', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rnnlab-elsewhere-')), 'run');
    const c = capture();
    expect(await main(['export', '--project', project.dir, '--run', runId, '--format', 'pytorch-run', '--out', out], c.io)).toBe(0);
    expect(c.out.map((l) => l.split('  ')[0]!.slice(out.length + 1))).toEqual(['train.py', 'config.json', 'vocab.json', 'train.bin', 'val.bin', 'initial.safetensors', 'README.md', 'train.slurm']);

    const data = await loadRunData(project.fs, project.dir, runId);
    const trainer = new Trainer(trainerOptionsFromRunConfig(data.config), { train: data.train, val: data.val, vocabSize: data.vocab.size });
    const ids = (file: string) => { const b = readFileSync(join(out, file)); return Array.from({ length: b.length / 4 }, (_, i) => b.readInt32LE(i * 4)); };
    expect(ids('train.bin')).toEqual([...data.train]);
    expect(ids('val.bin')).toEqual([...data.val]);
    const weights = decodeSafetensors(new Uint8Array(readFileSync(join(out, 'initial.safetensors'))), { checksum: 'ignore' }).tensors;
    expect([...weights.keys()]).toEqual([...trainer.model.params.keys()]);
    for (const [name, t] of trainer.model.params) expect(weights.get(name)!.data).toEqual(t.data);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { run: { dropout: number }; model: { dropout: number; cell: string }; engine: { iteratorRngState: number[] } };
    expect(config.engine.iteratorRngState).toEqual(trainer.exportState().meta.iterator.epochRngState);
    expect(config.model).toMatchObject({ cell: 'lstm', dropout: 0.2 });
    expect(JSON.parse(readFileSync(join(out, 'vocab.json'), 'utf8')).tokens).toEqual([...data.vocab.tokens]);
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    expect(readme).toContain('torchrun --standalone --nproc_per_node=N train.py');
    expect(readme).toContain('PyTorch draws its own dropout masks');
    expect(readFileSync(join(out, 'train.slurm'), 'utf8')).toContain('torchrun --standalone');
  });

  it('replaces an earlier export but never a file of someone else’s', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rnnlab-elsewhere-'));
    await exportPytorchRun(project.fs, { projectDir: project.dir, runId, out });
    await exportPytorchRun(project.fs, { projectDir: project.dir, runId, out });
    const mine = mkdtempSync(join(tmpdir(), 'rnnlab-elsewhere-mine-'));
    writeFileSync(join(mine, 'README.md'), 'my notes');
    const c = capture();
    expect(await main(['export', '--project', project.dir, '--run', runId, '--format', 'pytorch-run', '--out', mine], c.io)).toBe(1);
    expect(c.err[0]).toContain('"README.md" already exists');
    expect(readFileSync(join(mine, 'README.md'), 'utf8')).toBe('my notes');
  });

  it('answers flags that do not go with a PyTorch run with exit code 2 and the flag named', async () => {
    const a = capture();
    expect(await main(['export', '--project', project.dir, '--run', runId, '--format', 'pytorch-run', '--checkpoint', 'step-000000000001.safetensors', '--out', tmpdir()], a.io)).toBe(2);
    expect(a.err[0]).toContain('--checkpoint does not apply to --format pytorch-run');
    const b = capture();
    expect(await main(['import', '--project', project.dir, '--from-pytorch-run', tmpdir(), '--from-json', 'model.json'], b.io)).toBe(2);
    expect(b.err[0]).toContain('--from-pytorch-run cannot be combined with --from-json');
  });
});

/**
 * Importing a "Train elsewhere" result: a run trained by `torchrun --standalone --nproc_per_node=2`
 * (gloo, CPU; the same rendezvous on a free port, see `torchrunStandalone`)
 * comes back with its curves, readable through the runs service; broken or partial folders are
 * refused with a code naming the file (and line), and leave the project's runs as they were.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { exportPytorchRun, importPytorchRun, type EngineFacts } from '../../src/core/export/train-elsewhere';
import { loadRunData } from '../../src/core/services/run-data';
import { numSequentialBatches } from '../../src/engine/data/seq-batches';
import { Rng } from '../../src/engine/rng';
import { Trainer, trainerOptionsFromRunConfig } from '../../src/engine/train';
import type { RunConfig } from '../../src/shared/run-config';
import { listCheckpoints } from '../../src/core/store/checkpoints';
import { listRuns } from '../../src/core/store/runs';
import { decodeSafetensors, encodeSafetensors } from '../../src/engine/formats';
import { corpus, diskTrainingProject, type TrainingProject } from '../core/training-fixtures';
import { fakeTrainResult, readJsonl } from './elsewhere-fixture';
import { torchrunStandalone } from './torch-runner';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('a PyTorch run brought back', () => {
  let project: TrainingProject;
  let runId: string;
  let exported: string;
  beforeAll(async () => {
    project = await diskTrainingProject(corpus(4000, 5));
    runId = await project.createRun({ cell: 'lstm', numLayers: 2, hiddenSize: 12, epochs: 3, valEvery: 1, checkpointEvery: 1 });
    exported = mkdtempSync(join(tmpdir(), 'rnnlab-elsewhere-'));
    const c = capture();
    expect(await main(['export', '--project', project.dir, '--run', runId, '--format', 'pytorch-run', '--out', exported, '--json'], c.io)).toBe(0);
  });

  it('trains under torchrun with two gloo processes and imports with its curves', async () => {
    await torchrunStandalone(2, ['train.py', '--epochs', '1', '--device', 'cpu'], exported);
    const jsonl = readJsonl(join(exported, 'output', 'metrics.jsonl'));
    expect(jsonl.filter((r) => r.kind === 'epoch').map((r) => r.epoch)).toEqual([1]);
    // each rank reads its contiguous half of the stream: an epoch has the minibatches of half the tokens
    const { run, engine } = JSON.parse(readFileSync(join(exported, 'config.json'), 'utf8')) as { run: RunConfig; engine: EngineFacts };
    const offset = new Rng(engine.iteratorRngState).nextInt(run.numSteps + 1);
    expect(jsonl.find((r) => r.kind === 'epoch')!.step).toBe(numSequentialBatches(Math.floor(engine.trainTokens / 2), run.batchSize, run.numSteps, offset));

    const c = capture();
    expect(await main(['import', '--project', project.dir, '--from-pytorch-run', exported, '--name', 'On two ranks', '--json'], c.io)).toBe(0);
    const imported = JSON.parse(c.out[0]!) as { id: string; state: string };
    expect(imported.state).toBe('done');
    const detail = await project.runs.get(project.dir, imported.id);
    expect(detail.run.name).toBe('On two ranks');
    expect(detail.config.epochs).toBe(1);
    expect(detail.metrics.map((r) => [r.kind, r.step, r.epoch, r.loss])).toEqual(jsonl.map((r) => [r.kind, r.step, r.epoch, r.loss]));
    expect(detail.metrics.some((r) => r.kind === 'train')).toBe(true);
    const epoch = jsonl.find((r) => r.kind === 'epoch')!;
    expect(detail.checkpoints.map((k) => k.step)).toEqual([epoch.step]);
  }, 180_000);

  it('splits each random minibatch between two ranks, which trains as one process does', async () => {
    const random = await project.createRun({ cell: 'gru', numLayers: 2, hiddenSize: 12, sampler: 'random', optimizer: 'adam', lr: 0.01, epochs: 1 });
    const out = mkdtempSync(join(tmpdir(), 'rnnlab-elsewhere-random-'));
    await exportPytorchRun(project.fs, { projectDir: project.dir, runId: random, out });
    await torchrunStandalone(2, ['train.py', '--device', 'cpu'], out);
    const epoch = readJsonl(join(out, 'output', 'metrics.jsonl')).find((r) => r.kind === 'epoch')!;
    const data = await loadRunData(project.fs, project.dir, random);
    const ours = new Trainer(trainerOptionsFromRunConfig(data.config), { train: data.train, val: data.val, vocabSize: data.vocab.size }).trainEpoch();
    expect(epoch.step).toBe(ours.steps);
    expect(Math.abs(epoch.loss! - ours.loss)).toBeLessThan(1e-4);
  }, 180_000);

  describe('a broken or partial folder', () => {
    const fakeResult = () => fakeTrainResult(exported);

    async function refused(dir: string): Promise<{ code: string; details: Record<string, unknown>; message: string }> {
      const before = (await listRuns(project.fs, project.dir)).runs.length;
      const error = await importPytorchRun(project.fs, { projectDir: project.dir, dir }).then(() => null, (e: unknown) => e as { code: string; details: Record<string, unknown>; message: string });
      expect((await listRuns(project.fs, project.dir)).runs.length).toBe(before);
      expect(error).not.toBeNull();
      return error!;
    }

    it('imports when whole (the control for the cases below)', async () => {
      const run = await importPytorchRun(project.fs, { projectDir: project.dir, dir: fakeResult() });
      const detail = await project.runs.get(project.dir, run.id);
      expect(detail.metrics.map((r) => r.kind)).toEqual(['train', 'val', 'epoch']);
      expect((await listCheckpoints(project.fs, project.dir, run.id)).checkpoints.map((k) => [k.step, k.valPerplexity])).toEqual([[10, Math.exp(2.5)]]);
    });

    it('names metrics.jsonl when it is missing', async () => {
      const dir = fakeResult();
      rmSync(join(dir, 'metrics.jsonl'));
      const e = await refused(dir);
      expect(e.code).toBe('MissingFile');
      expect(e.details.file).toBe(join(dir, 'metrics.jsonl'));
    });

    it('names the torn last line of metrics.jsonl', async () => {
      const dir = fakeResult();
      appendFileSync(join(dir, 'metrics.jsonl'), '{"kind": "epoch", "st');
      const e = await refused(dir);
      expect([e.code, e.details.line]).toEqual(['TornMetrics', 4]);
      expect(e.message).toContain('line 4');
    });

    it('names an invalid line of metrics.jsonl', async () => {
      const dir = fakeResult();
      const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').split('\n');
      lines[1] = '{"kind": "val", "step": -1, "epoch": 1, "time": 0}';
      writeFileSync(join(dir, 'metrics.jsonl'), lines.join('\n'));
      const e = await refused(dir);
      expect([e.code, e.details.line, e.details.file]).toEqual(['InvalidMetrics', 2, join(dir, 'metrics.jsonl')]);
    });

    it('refuses a folder without a checkpoint', async () => {
      const dir = fakeResult();
      rmSync(join(dir, 'checkpoints'), { recursive: true });
      expect((await refused(dir)).code).toBe('MissingCheckpoint');
    });

    it('names the checkpoint and the tensor whose shape does not fit', async () => {
      const dir = fakeResult();
      const path = join(dir, 'checkpoints', 'epoch-0001.safetensors');
      const tensors = new Map(decodeSafetensors(new Uint8Array(readFileSync(path)), { checksum: 'ignore' }).tensors);
      tensors.set('output.bias', { dtype: 'F32', shape: [3], data: new Float32Array(3) } as never);
      writeFileSync(path, encodeSafetensors(tensors));
      const e = await refused(dir);
      expect([e.code, e.details.name, e.details.file]).toEqual(['ShapeMismatch', 'output.bias', path]);
    });

    it('refuses a vocab.json that is not the one config.json was exported with', async () => {
      const dir = fakeResult();
      const vocab = JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8')) as { tokens: string[] };
      [vocab.tokens[1], vocab.tokens[2]] = [vocab.tokens[2]!, vocab.tokens[1]!];
      writeFileSync(join(dir, 'vocab.json'), JSON.stringify(vocab));
      const e = await refused(dir);
      expect([e.code, e.details.file]).toEqual(['VocabMismatch', join(dir, 'vocab.json')]);
    });
  });
});

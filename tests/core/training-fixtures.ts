/** Small corpora, projects and runs for the training tests (tiny models so a run takes milliseconds). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDataset } from '../../src/core/datasets/import-dataset';
import type { FileSystem, WriteMode } from '../../src/core/fs/file-system';
import { MemoryFileSystem } from '../../src/core/fs/memory-file-system';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { RunsService } from '../../src/core/services/runs-service';
import { createProject } from '../../src/core/store/project';
import type { MetricRecord, RunEvent } from '../../src/shared/runs';
import type { RunConfig } from '../../src/shared/run-config';

/** A patterned text from a seeded generator: learnable, and the same every time. */
export function corpus(chars = 2400, seed = 7): string {
  const words = ['the', 'time', 'traveller', 'said', 'machine', 'four', 'dimensions', 'and', 'we', 'sat', 'looked', 'at', 'him'];
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 8) / (1 << 24);
  const out: string[] = [];
  let n = 0;
  while (n < chars) {
    const w = words[Math.floor(next() * words.length)]!;
    out.push(w);
    n += w.length + 1;
    if (next() < 0.1) out.push('.\n');
  }
  return out.join(' ');
}

/** The model and schedule every training test uses unless it says otherwise. */
export const TINY: Partial<RunConfig> = {
  cell: 'gru', hiddenSize: 12, numSteps: 8, batchSize: 4, epochs: 3, lr: 1, clip: 1, seed: 3,
  valEvery: 1, sampleEvery: 1, checkpointEvery: 1, keepCheckpoints: 2, sampleLength: 12, samplePrefix: 'the time',
};

export interface TrainingProject {
  fs: FileSystem;
  dir: string;
  datasetId: string;
  runs: RunsService;
  createRun(config?: Partial<RunConfig>): Promise<string>;
}

async function setUp(fs: FileSystem, dir: string, sourcePath: string): Promise<TrainingProject> {
  await createProject(fs, dir, 'Training test');
  const dataset = await importDataset(fs, dir, sourcePath);
  const runs = new RunsService({ fs });
  return {
    fs, dir, datasetId: dataset.id, runs,
    createRun: async (config = {}) => (await runs.create(dir, { ...TINY, ...config, datasetId: dataset.id })).id,
  };
}

export async function memoryTrainingProject(text = corpus()): Promise<TrainingProject & { fs: MemoryFileSystem }> {
  const fs = new MemoryFileSystem();
  fs.seedDir('/home/u');
  fs.seedFile('/home/u/corpus.txt', text);
  return (await setUp(fs, '/home/u/test.rnnlab', '/home/u/corpus.txt')) as TrainingProject & { fs: MemoryFileSystem };
}

export async function diskTrainingProject(text = corpus()): Promise<TrainingProject> {
  const root = mkdtempSync(join(tmpdir(), 'rnnlab-training-'));
  const source = join(root, 'corpus.txt');
  writeFileSync(source, text);
  return setUp(new NodeFileSystem(), join(root, 'test.rnnlab'), source);
}

/** The deterministic part of the metric records (no clock fields). */
export function numbers(records: readonly MetricRecord[], kinds: readonly MetricRecord['kind'][] = ['epoch', 'val']) {
  return records.filter((r) => kinds.includes(r.kind)).map((r) => ({ kind: r.kind, step: r.step, epoch: r.epoch, loss: r.loss, perplexity: r.perplexity, gradNorm: r.gradNorm, lr: r.lr }));
}

/** Collects events per run. */
export function eventLog() {
  const events: RunEvent[] = [];
  return { events, emit: (e: RunEvent) => events.push(e) };
}

/** Delegates to a memory file system and crashes it, torn, in the middle of the n-th checkpoint write. */
export function crashOnCheckpoint(mem: MemoryFileSystem, n: number): FileSystem & { crashedAt: string | null } {
  let seen = 0;
  const fs = Object.create(mem) as FileSystem & { crashedAt: string | null };
  fs.crashedAt = null;
  fs.openWrite = async (path: string, mode: WriteMode) => {
    if (path.includes('/checkpoints/') && ++seen === n) {
      fs.crashedAt = path;
      mem.setFaults({ crashAfter: 1, tornWrites: true }); // the open succeeds, its first write dies half-written
    }
    return mem.openWrite(path, mode);
  };
  return fs;
}

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyDemoProject, demoBundlePaths, readDemoManifest, sha256Hex } from '../../src/core/demo/demo-bundle';
import { generateDemoCorpus } from '../../src/core/demo/demo-corpus';
import { DEMO_CORPUS_CHARS, DEMO_CORPUS_SEED, DEMO_DATASET_ID, DEMO_PROJECT_NAME, DEMO_RUNS, DEMO_SOURCE_NAME } from '../../src/core/demo/demo-recipe';
import { importDataset } from '../../src/core/datasets/import-dataset';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { GenerationService } from '../../src/core/services/generation-service';
import { loadRunData } from '../../src/core/services/run-data';
import { RunsService } from '../../src/core/services/runs-service';
import { readRunVocab } from '../../src/core/services/run-vocab';
import { createProject, openProject } from '../../src/core/store/project';
import { readDataset } from '../../src/core/store/datasets';
import { RESOURCES, tempDir, treeFiles, treeHash } from './demo-helpers';

const fs = new NodeFileSystem();
const bundle = demoBundlePaths(RESOURCES);
let project: string;
let bundleHashBefore: string;

/**
 * Greedy continuations of "the time traveller" from each bundled model (best checkpoint). The
 * bundle is committed, so these only change when `npm run build:demo` is rerun on purpose.
 */
const GREEDY: Record<string, string> = {
  'demo-gru': ' mended it after dinner we sat by the fire in the year eight',
  'demo-lstm': ' said that the hidden state holds what the eye forgets the i',
};

beforeAll(async () => {
  bundleHashBefore = treeHash(bundle.root);
  // the models are read from a copy, so nothing here can write into resources/
  project = join(tempDir('bundle'), 'demo.rnnlab');
  await copyDemoProject(fs, RESOURCES, project);
});

describe('the bundled demo project', () => {
  it('lists exactly its files in the manifest, with their sizes and hashes', async () => {
    const manifest = await readDemoManifest(fs, RESOURCES);
    expect(manifest.files.map((f) => f.path).sort()).toEqual(treeFiles(bundle.project));
    for (const f of manifest.files) {
      const bytes = readFileSync(join(bundle.project, ...f.path.split('/')));
      expect({ path: f.path, bytes: bytes.length, sha256: sha256Hex(bytes) }).toEqual(f);
    }
    const total = manifest.files.reduce((s, f) => s + f.bytes, 0);
    expect(total).toBeLessThan(4 * 1024 * 1024);
  });

  it('opens with the demo corpus and two finished runs, and no problems', async () => {
    const opened = await openProject(fs, project);
    expect(opened.project.name).toBe(DEMO_PROJECT_NAME);
    expect(opened.problems).toEqual([]);
    expect(opened.datasets.map((d) => d.id)).toEqual([DEMO_DATASET_ID]);
    expect(opened.runs.map((r) => [r.id, r.state])).toEqual(DEMO_RUNS.map((r) => [r.id, 'done']));
  });

  it('holds the seeded demo corpus with the statistics the importer gives it', async () => {
    const text = generateDemoCorpus(DEMO_CORPUS_SEED, DEMO_CORPUS_CHARS);
    const record = await readDataset(fs, project, DEMO_DATASET_ID);
    expect(record.source.sha256).toBe(sha256Hex(new TextEncoder().encode(text)));
    expect(record.source.originalName).toBe(DEMO_SOURCE_NAME);

    const scratch = tempDir('reimport');
    const again = join(scratch, 'again.rnnlab');
    await createProject(fs, again, 'again');
    writeFileSync(join(scratch, DEMO_SOURCE_NAME), text);
    const fresh = await importDataset(fs, again, join(scratch, DEMO_SOURCE_NAME), { kind: 'text' });
    expect(fresh.stats).toEqual(record.stats);
    expect(fresh.source).toEqual(record.source);
  });

  it('keeps, for each run, its curves, samples, vocabulary and a best and a last checkpoint', async () => {
    const runs = new RunsService({ fs });
    for (const spec of DEMO_RUNS) {
      const detail = await runs.get(project, spec.id);
      const epochs = detail.metrics.filter((m) => m.kind === 'epoch').map((m) => m.epoch);
      expect(epochs).toEqual(Array.from({ length: spec.config.epochs! }, (_, i) => i + 1));
      expect(detail.metrics.filter((m) => m.kind === 'val')).toHaveLength(spec.config.epochs!);
      expect(detail.metrics.some((m) => m.kind === 'train')).toBe(true);
      expect(detail.samples.length).toBeGreaterThanOrEqual(spec.config.epochs! / spec.config.sampleEvery!);
      expect(detail.baselines).not.toBeNull();
      expect(detail.config.cell).toBe(spec.config.cell);
      const names = detail.checkpoints.map((c) => c.name);
      const last = detail.checkpoints.reduce((a, b) => (b.step > a.step ? b : a));
      expect(detail.checkpoints.some((c) => c.best)).toBe(true);
      expect(names.length).toBeLessThanOrEqual(2);
      expect(last.step).toBe(detail.metrics.at(-1)!.step);
      expect(detail.run.bestValPerplexity).toBeLessThan(2);
    }
  });

  it('generates the same text twice for a fixed seed, from every bundled model', async () => {
    for (const spec of DEMO_RUNS) {
      const request = { projectDir: project, runId: spec.id, checkpoint: null, prefix: 'the time traveller', length: 80, decoding: { mode: 'sample' as const, temperature: 0.8, topK: 0, topP: 1 }, seed: 2026 };
      const a = await new GenerationService(fs).generate(request);
      const b = await new GenerationService(fs).generate(request);
      expect(b).toEqual(a);
      expect(a.tokens).toHaveLength(80);
    }
  });

  it('continues "the time traveller" greedily with the pinned words', async () => {
    const generation = new GenerationService(fs);
    const got: Record<string, string> = {};
    for (const spec of DEMO_RUNS) {
      const g = await generation.generate({ projectDir: project, runId: spec.id, checkpoint: null, prefix: 'the time traveller', length: 60, decoding: { mode: 'greedy' }, seed: 0 });
      got[spec.id] = g.tokens.join(g.separator);
    }
    expect(got).toEqual(GREEDY);
  });

  it('scores the held-out tail of the corpus (the validation split) below the unigram baseline', async () => {
    const generation = new GenerationService(fs);
    for (const spec of DEMO_RUNS) {
      const data = await loadRunData(fs, project, spec.id);
      const vocab = await readRunVocab(fs, project, spec.id);
      const tail = data.vocab.decode(data.val, vocab!.file.separator);
      expect(data.val.length).toBeGreaterThan(1000);
      const score = await generation.score({ projectDir: project, runId: spec.id, checkpoint: null, text: tail });
      expect(score.tokens).toHaveLength(data.val.length);
      expect(score.perplexity).toBeLessThan(data.baselines.unigram / 4);
    }
  });

  it('is not modified by reading and copying it', () => {
    expect(treeHash(bundle.root)).toBe(bundleHashBefore);
  });
});

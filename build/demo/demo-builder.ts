/**
 * Builds the demo project in a folder: the project, the demo corpus imported as a dataset (as the
 * app's importer does it, with its statistics), and the recipe's runs trained to the end by the
 * same training host, trainer workers and executor as the app. Ids are fixed by the recipe;
 * only the recorded ISO times, clock fields and the kernels note depend on the build.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemoCorpus } from '../../src/core/demo/demo-corpus';
import {
  DEMO_CORPUS_CHARS, DEMO_CORPUS_SEED, DEMO_DATASET_ID, DEMO_DATASET_NAME, DEMO_PROJECT_NAME, DEMO_RUNS, DEMO_SOURCE_NAME,
} from '../../src/core/demo/demo-recipe';
import { importDataset } from '../../src/core/datasets/import-dataset';
import type { FileSystem } from '../../src/core/fs/file-system';
import { parseRunConfig, prepareRunData, vocabFileFor } from '../../src/core/services/run-data';
import { writeRunVocab } from '../../src/core/services/run-vocab';
import { createProject, removeStrays } from '../../src/core/store/project';
import { createRun, type RunConfigJson } from '../../src/core/store/runs';
import { TrainingHost } from '../../src/core/training/training-host';
import type { KernelChoice } from '../../src/engine/kernels/wasm/select-kernels';
import type { RunEvent } from '../../src/shared/runs';

export interface BuildOptions {
  fs: FileSystem;
  /** The project folder to create (must not exist or be empty). */
  projectDir: string;
  /** A scratch folder for the corpus file that gets imported. */
  scratchDir: string;
  kernels: KernelChoice;
  log: (line: string) => void;
}

export async function buildDemoProject({ fs, projectDir, scratchDir, kernels, log }: BuildOptions): Promise<void> {
  await createProject(fs, projectDir, DEMO_PROJECT_NAME);
  const source = join(scratchDir, DEMO_SOURCE_NAME);
  writeFileSync(source, generateDemoCorpus(DEMO_CORPUS_SEED, DEMO_CORPUS_CHARS));
  const dataset = await importDataset(fs, projectDir, source, { id: DEMO_DATASET_ID, name: DEMO_DATASET_NAME, kind: 'text' });
  log(`dataset ${dataset.id}: ${dataset.source.bytes} bytes, sha256 ${dataset.source.sha256.slice(0, 12)}…`);

  // what RunsService.create does, with the recipe's fixed ids
  for (const run of DEMO_RUNS) {
    const config = parseRunConfig({ ...run.config, datasetId: DEMO_DATASET_ID });
    const data = await prepareRunData(fs, projectDir, config);
    await createRun(fs, projectDir, { id: run.id, name: config.name, config: config as unknown as RunConfigJson });
    await writeRunVocab(fs, projectDir, run.id, vocabFileFor(data, config));
  }

  // one worker thread per run, all at once: the TypeScript kernels use one core each
  const host = new TrainingHost({ fs, kernels, maxConcurrent: DEMO_RUNS.length, threadsPerRun: 1, onError: (e) => log(`training host: ${String(e)}`) });
  const unsubscribe = host.subscribe((event: RunEvent) => {
    for (const m of event.metrics) {
      if (m.kind === 'epoch') log(`  ${event.runId} epoch ${m.epoch}  train ppl ${m.perplexity?.toFixed(3)}  ${m.time.toFixed(1)} s`);
    }
    for (const s of event.samples) log(`  ${event.runId} sample @ ${s.epoch}: ${s.prefix}|${s.text}`);
  });
  try {
    for (const run of DEMO_RUNS) {
      log(`training ${run.id} (${run.config.name})`);
      await host.start(projectDir, run.id);
    }
    for (const run of DEMO_RUNS) {
      const done = await host.wait(projectDir, run.id);
      if (done.state !== 'done') throw new Error(`${run.id} ended ${done.state}: ${done.message ?? ''}`);
      log(`${run.id}: ${done.message ?? 'done'} on ${host.kernelsOf(projectDir, run.id) ?? '?'} kernels`);
    }
  } finally {
    unsubscribe();
    await host.shutdown();
  }
  await removeStrays(fs, projectDir);
}

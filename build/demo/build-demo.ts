/**
 * Builds the bundled demo project, resources/demo/, from the recipe in src/core/demo/demo-recipe.ts:
 * the seeded demo corpus imported as a dataset and two small character models trained to the end
 * by this project's own engine (the training host and executor the app uses).
 *
 *   npm run build:demo                     rebuild resources/demo/ (a few minutes on two cores)
 *   npm run build:demo -- --check          build in a temp folder and compare with the committed
 *                                          bundle; exit 1 when weights, metrics or samples differ
 *   npm run build:demo -- --kernels wasm   train on other kernels (default ts: the TypeScript
 *                                          reference, one thread, no fused multiply-adds; the SIMD
 *                                          kernels fuse them or not depending on the CPU)
 *
 * Training is deterministic for a seed and kernels, so a rebuild reproduces the committed bundle
 * except the recorded ISO times, the clock fields of the metric records and the kernels note.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDemoManifest, demoBundlePaths } from '../../src/core/demo/demo-bundle';
import { DEMO_BUNDLE_FOLDER, DEMO_RUNS } from '../../src/core/demo/demo-recipe';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { GenerationService } from '../../src/core/services/generation-service';
import type { KernelChoice } from '../../src/engine/kernels/wasm/select-kernels';
import { buildDemoProject } from './demo-builder';
import { compareFingerprints, fingerprintDemo } from './demo-fingerprint';

const RESOURCES = fileURLToPath(new URL('../../resources', import.meta.url));

function parseArgs(argv: string[]): { check: boolean; kernels: KernelChoice } {
  const out = { check: false, kernels: 'ts' as KernelChoice };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') out.check = true;
    else if (a === '--kernels' && ['ts', 'wasm', 'auto'].includes(argv[i + 1] ?? '')) out.kernels = argv[++i] as KernelChoice;
    else throw new Error(`build-demo: unknown argument "${a}" (flags: --check, --kernels ts|wasm|auto)`);
  }
  return out;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const fs = new NodeFileSystem();
  const scratch = mkdtempSync(join(tmpdir(), 'rnnlab-demo-build-'));
  const projectDir = join(scratch, DEMO_BUNDLE_FOLDER);
  const started = performance.now();
  try {
    await buildDemoProject({ fs, projectDir, scratchDir: scratch, kernels: args.kernels, log: (l) => console.log(l) });
    console.log(`trained in ${((performance.now() - started) / 1000).toFixed(0)} s`);

    const generation = new GenerationService(fs);
    for (const run of DEMO_RUNS) {
      const g = await generation.generate({ projectDir, runId: run.id, checkpoint: null, prefix: 'the time traveller', length: 80, decoding: { mode: 'greedy' }, seed: 1 });
      console.log(`greedy ${run.id}: ${g.prefix}|${g.tokens.join(g.separator)}`);
    }

    const bundle = demoBundlePaths(RESOURCES);
    if (args.check) {
      const diff = compareFingerprints(await fingerprintDemo(fs, bundle.project), await fingerprintDemo(fs, projectDir));
      for (const line of diff) console.log(line);
      console.log(diff.length === 0 ? 'the committed demo bundle matches a fresh build' : `${diff.length} file(s) differ from a fresh build`);
      return diff.length === 0 ? 0 : 1;
    }

    const manifest = await buildDemoManifest(fs, projectDir);
    rmSync(bundle.project, { recursive: true, force: true });
    cpSync(projectDir, bundle.project, { recursive: true });
    writeFileSync(bundle.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
    const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
    console.log(`wrote ${bundle.root}: ${manifest.files.length} files, ${(bytes / 1024).toFixed(0)} KiB`);
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

process.exitCode = await main();

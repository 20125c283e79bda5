/**
 * Memory bound of dataset import: writes a ~200 MB text file to a temp folder, imports it into a
 * fresh project through NodeFileSystem, and prints peak RSS / heap (sampled every 20 ms) and the
 * time taken. Run: `npx tsx bench/import-memory.ts [megabytes]`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeFileSystem } from '../src/core/fs/node-file-system';
import { createProject } from '../src/core/store/project';
import { importDataset } from '../src/core/datasets/import-dataset';
import { writeCorpusFile } from './lib/corpus-file';

const MB = 1024 * 1024;
const targetMb = Number(process.argv[2] ?? 200);

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'rnnlab-bench-'));
  try {
    const source = join(root, 'corpus.txt');
    await writeCorpusFile(source, targetMb * MB);
    const fs = new NodeFileSystem();
    const project = join(root, 'bench.rnnlab');
    await createProject(fs, project, 'Bench');

    global.gc?.();
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakHeap = baseline.heapUsed;
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 20);
    const t0 = performance.now();
    const record = await importDataset(fs, project, source);
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(timer);

    const size = record.source.bytes;
    const fmt = (b: number): string => `${(b / MB).toFixed(1)} MB`;
    console.log(`file            ${fmt(size)}`);
    console.log(`time            ${seconds.toFixed(2)} s (${(size / MB / seconds).toFixed(1)} MB/s)`);
    console.log(`rss   baseline  ${fmt(baseline.rss)}   peak ${fmt(peakRss)}   (+${fmt(peakRss - baseline.rss)}, ${((peakRss - baseline.rss) / size).toFixed(2)}× file)`);
    console.log(`heap  baseline  ${fmt(baseline.heapUsed)}   peak ${fmt(peakHeap)}   (+${fmt(peakHeap - baseline.heapUsed)})`);
    if (record.stats.kind === 'text') {
      console.log(`stats           ${record.stats.characters} chars, ${record.stats.lines} lines, ${record.stats.word.tokens} words, char vocab ${record.stats.char.distinct}, word vocab ${record.stats.word.distinct}`);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();

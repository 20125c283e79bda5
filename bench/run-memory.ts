/**
 * Peak memory of creating a run on a large corpus and training it a little: writes a text file
 * (300 MB by default) to a temp folder, then in a child process runs
 * `rnn-lab train --data FILE --max-tokens N --epochs 1` (import, run creation, a few minibatches)
 * and prints the child's peak RSS (`process.resourceUsage().maxRSS`, read as it exits) and time.
 *
 * `npm run bench -- run-memory [--mb 300] [--max-tokens 20000] [--root DIR]`; `--root` runs the
 * command line of another checkout (e.g. an older commit unpacked beside node_modules) for a
 * before/after comparison on the same file.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeCorpusFile } from './lib/corpus-file';

const MB = 1024 * 1024;
const { values } = parseArgs({
  options: { mb: { type: 'string', default: '300' }, 'max-tokens': { type: 'string', default: '20000' }, root: { type: 'string' } },
});
const root = resolve(values.root ?? join(import.meta.dirname, '..'));

// reported from inside the child as it exits, so the figure is the whole process's peak
const REPORT_PEAK = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nPEAK_RSS_KB='+process.resourceUsage().maxRSS+'\\n'))`;

function train(file: string, project: string, maxTokens: string): Promise<{ code: number | null; peakKb: number | null; seconds: number; stderr: string }> {
  const args = ['--import', REPORT_PEAK, join(root, 'bin/rnn-lab.js'), 'train', '--data', file, '--project', project,
    '--max-tokens', maxTokens, '--epochs', '1', '--hidden', '32', '--batch', '8', '--steps', '20'];
  const t0 = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const m = /PEAK_RSS_KB=(\d+)/.exec(stderr);
      done({ code, peakKb: m ? Number(m[1]) : null, seconds: (performance.now() - t0) / 1000, stderr: stderr.replace(/\n?PEAK_RSS_KB=\d+\n/, '') });
    });
  });
}

const dir = await mkdtemp(join(tmpdir(), 'rnnlab-run-memory-'));
try {
  const file = join(dir, 'corpus.txt');
  const bytes = await writeCorpusFile(file, Number(values.mb) * MB);
  const r = await train(file, join(dir, 'bench.rnnlab'), values['max-tokens']);
  console.log(`code            ${root}`);
  console.log(`file            ${(bytes / MB).toFixed(1)} MB, --max-tokens ${values['max-tokens']}, 1 epoch`);
  console.log(`exit            ${r.code}${r.code === 0 ? '' : `  ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`}`);
  console.log(`peak rss        ${r.peakKb === null ? '?' : `${(r.peakKb / 1024).toFixed(0)} MB`}`);
  console.log(`time            ${r.seconds.toFixed(1)} s`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

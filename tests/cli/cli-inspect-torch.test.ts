/**
 * Must show (issue 13): `rnn-lab inspect --json` equals PyTorch on the exported model within 1e-5.
 * Runs trained here for a few updates (RNN, GRU, LSTM × 1 and 2 layers) are exported with the
 * existing exporter; /usr/bin/python3 + torch computes h, c and every gate step by step from the
 * safetensors file (checking its h against nn.RNN/GRU/LSTM), and the CLI's numbers are compared.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportRun } from '../../src/core/export/export-run';
import { loadRunData } from '../../src/core/services/run-data';
import { main, type CliIo } from '../../src/cli';
import { trainedProject } from '../export/project-fixture';
import { python } from '../export/torch-runner';

const VARIANTS = (['rnn', 'gru', 'lstm'] as const).flatMap((cell) => [1, 2].map((numLayers) => ({ cell, numLayers })));
const TEXT = 'the time traveller said and we sat and looked at him';

interface InspectJson {
  checkpoint: string;
  tokens: string[];
  layers: Array<{ h: number[][]; c: number[][] | null; gates: Record<string, number[][]> }>;
}
interface TorchLayers {
  layers: InspectJson['layers'];
  module_diff: number;
}

async function cliJson(args: string[]): Promise<InspectJson> {
  const out: string[] = [], err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await main(args, io);
  if (code !== 0) throw new Error(`rnn-lab ${args[0]} exited ${code}: ${err.join('\n')}`);
  return JSON.parse(out.join('\n')) as InspectJson;
}

function maxDiff(a: number[][], b: number[][]): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  a.forEach((row, t) => {
    if (row.length !== b[t]!.length) m = Infinity;
    row.forEach((x, u) => (m = Math.max(m, Math.abs(x - b[t]![u]!))));
  });
  return m;
}

describe('rnn-lab inspect against PyTorch on the exported model', () => {
  const ours: InspectJson[] = [];
  let torch: TorchLayers[] = [];

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'rnnlab-inspect-torch-'));
    const jobs = [];
    for (const [i, v] of VARIANTS.entries()) {
      const p = await trainedProject({ cell: v.cell, numLayers: v.numLayers, hiddenSize: 12, ...(i % 2 === 1 && { embeddingDim: 6 }) }, 8);
      const json = await cliJson(['inspect', '--project', p.dir, '--run', p.runId, '--text', TEXT, '--json']);
      const weights = join(root, `${i}.safetensors`);
      await exportRun(p.fs, { projectDir: p.dir, runId: p.runId, checkpoint: json.checkpoint, format: 'safetensors', out: weights });
      const { vocab } = await loadRunData(p.fs, p.dir, p.runId);
      ours.push(json);
      jobs.push({ weights, ids: Array.from(vocab.encode(json.tokens)) });
    }
    writeFileSync(join(root, 'jobs.json'), JSON.stringify(jobs));
    python('torch_inspect.py', [join(root, 'jobs.json'), join(root, 'out.json')], resolve(import.meta.dirname, 'fixtures'));
    torch = JSON.parse(readFileSync(join(root, 'out.json'), 'utf8')) as TorchLayers[];
  }, 180_000);

  VARIANTS.forEach((v, i) => {
    it(`gives PyTorch's h, c and gates at every step within 1e-5 (${v.cell} × ${v.numLayers}${i % 2 === 1 ? ', embedding' : ', one-hot'})`, () => {
      const mine = ours[i]!, ref = torch[i]!;
      expect(ref.module_diff).toBeLessThan(1e-5);
      expect(mine.tokens).toHaveLength(TEXT.length);
      expect(mine.layers).toHaveLength(v.numLayers);
      mine.layers.forEach((layer, l) => {
        const theirs = ref.layers[l]!;
        expect(maxDiff(layer.h, theirs.h)).toBeLessThan(1e-5);
        if (v.cell === 'lstm') expect(maxDiff(layer.c!, theirs.c!)).toBeLessThan(1e-5);
        else expect(layer.c).toBeNull();
        expect(Object.keys(layer.gates)).toEqual(Object.keys(theirs.gates));
        for (const g of Object.keys(theirs.gates)) expect(maxDiff(layer.gates[g]!, theirs.gates[g]!)).toBeLessThan(1e-5);
      });
    });
  });
});

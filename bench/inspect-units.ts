/**
 * Looks for interpretable units (Karpathy, Johnson & Fei-Fei 2015) in a character run through the
 * inspector service: over the last N tokens of the run's corpus (its validation text), the
 * Pearson correlation of every unit's h and c with simple features of the text — the token is a
 * space, the next token is a space, the token is a vowel, and the position inside the word —
 * and prints the best units per feature. By default it reads the bundled demo LSTM (read only).
 *
 * `npm run bench -- inspect-units [--project DIR --run ID] [--tokens 5000] [--top 3] [--json]`
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { NodeFileSystem } from '../src/core/fs/node-file-system';
import { InspectService } from '../src/core/inspect/inspect-service';
import { GenerationService } from '../src/core/services/generation-service';
import { loadRunData } from '../src/core/services/run-data';
import { inspectRequestSchema, type InspectChunk, type InspectHeader } from '../src/shared/inspect';

const { values } = parseArgs({ options: {
  project: { type: 'string', default: resolve(import.meta.dirname, '../resources/demo/demo.rnnlab') },
  run: { type: 'string', default: 'demo-lstm' },
  tokens: { type: 'string', default: '5000' }, top: { type: 'string', default: '3' }, json: { type: 'boolean', default: false },
} });

const fs = new NodeFileSystem();
const data = await loadRunData(fs, values.project, values.run);
const total = data.train.length + data.val.length;
const count = Math.min(Number(values.tokens), total);
const service = new InspectService(fs, new GenerationService(fs));
let header: InspectHeader | null = null;
const chunks: InspectChunk[] = [];
await service.inspect(inspectRequestSchema.parse({ projectDir: values.project, runId: values.run, checkpoint: null, jobId: 'units', source: { kind: 'dataset', start: total - count, count }, topK: 1 }), {
  emit: (e) => (e.kind === 'head' ? (header = e.value) : chunks.push(e.value)),
  signal: new AbortController().signal,
});
const head = header as unknown as InspectHeader;
const tokens = chunks.flatMap((c) => c.tokens);
const T = tokens.length, H = head.hiddenSize;

// features at step t: what the unit's value after reading token t could track
let position = 0;
const features: Record<string, Float64Array> = { space: new Float64Array(T), 'next is space': new Float64Array(T), vowel: new Float64Array(T), 'position in word': new Float64Array(T) };
tokens.forEach((tok, t) => {
  position = tok === ' ' ? 0 : position + 1;
  features['space']![t] = tok === ' ' ? 1 : 0;
  features['next is space']![t] = tokens[t + 1] === ' ' ? 1 : 0;
  features['vowel']![t] = 'aeiou'.includes(tok) && tok.length === 1 ? 1 : 0;
  features['position in word']![t] = position;
});

function correlation(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]!; my += y[i]!; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { const a = x[i]! - mx, b = y[i]! - my; sxy += a * b; sxx += a * a; syy += b * b; }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

const rows: Array<{ feature: string; layer: number; state: 'h' | 'c'; unit: number; r: number }> = [];
for (let l = 0; l < head.numLayers; l++) {
  for (const state of head.cell === 'lstm' ? (['h', 'c'] as const) : (['h'] as const)) {
    const all = new Float32Array(T * H);
    let o = 0;
    for (const c of chunks) { const m = state === 'h' ? c.layers[l]!.h : c.layers[l]!.c!; all.set(m.data, o); o += m.data.length; }
    for (let u = 0; u < H; u++) {
      const x = Float64Array.from({ length: T }, (_, t) => all[t * H + u]!);
      for (const [feature, y] of Object.entries(features)) rows.push({ feature, layer: l, state, unit: u, r: correlation(x, y) });
    }
  }
}
const best = Object.keys(features).flatMap((f) => rows.filter((r) => r.feature === f).sort((a, b) => Math.abs(b.r) - Math.abs(a.r)).slice(0, Number(values.top)));
if (values.json) console.log(JSON.stringify({ run: values.run, checkpoint: head.checkpoint, tokens: T, best }));
else {
  console.log(`${values.run} (${head.cell} × ${head.numLayers}, ${H} units, ${head.checkpoint}), last ${T} tokens of the corpus`);
  for (const b of best) console.log(`  ${b.feature.padEnd(18)} layer ${b.layer} ${b.state} unit ${String(b.unit).padStart(3)}  r = ${b.r.toFixed(3)}`);
}

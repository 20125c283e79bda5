/**
 * Finds units of a text run that track a simple feature of the text, over `rnn-lab inspect --json`:
 *
 *   npx rnn-lab inspect --project P --run R --text "$(…)" --json > inspect.json
 *   npx tsx scripts/find-interpretable-unit.ts inspect.json [--top 5]
 *
 * Features per step: the token read is a space; position inside the current word (characters since
 * the last space); the next token is a space (the word is about to end). For each layer, quantity
 * (h, c) and feature, prints the units with the largest |Pearson correlation|.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '5' } } });
const file = positionals[0];
if (!file) {
  console.error('Usage: npx tsx scripts/find-interpretable-unit.ts inspect.json [--top 5]');
  process.exit(2);
}
const data = JSON.parse(readFileSync(file, 'utf8')) as { tokens: string[]; layers: Array<{ h: number[][]; c: number[][] | null }> };
const T = data.tokens.length;

const isSpace = data.tokens.map((t) => (t === ' ' ? 1 : 0));
const nextSpace = data.tokens.map((_, t) => (data.tokens[t + 1] === ' ' ? 1 : 0));
let pos = 0;
const wordPosition = data.tokens.map((t) => (t === ' ' ? (pos = 0) : ++pos));
const features: Record<string, number[]> = { 'reads a space': isSpace, 'position in word': wordPosition, 'next is a space': nextSpace };

function pearson(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

data.layers.forEach((layer, k) => {
  for (const [q, m] of Object.entries({ h: layer.h, c: layer.c })) {
    if (!m) continue;
    const units = m[0]!.length;
    for (const [name, f] of Object.entries(features)) {
      const scored = Array.from({ length: units }, (_, u) => ({ u, r: pearson(f, Array.from({ length: T }, (_, t) => m[t]![u]!)) }));
      scored.sort((a, b) => Math.abs(b.r) - Math.abs(a.r));
      console.log(`layer ${k + 1} ${q} · ${name}: ${scored.slice(0, Number(values.top)).map((s) => `unit ${s.u} r=${s.r.toFixed(3)}`).join(', ')}`);
    }
  }
});

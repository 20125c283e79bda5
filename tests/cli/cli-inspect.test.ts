import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli';
import { trainedProject } from '../export/project-fixture';

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
  return { code: await main(args, io), out, err };
}

describe('rnn-lab inspect and saturation', () => {
  it('prints saturation as {"layers":[{"<gate>":{"left":[…],"right":[…]}}]} with one share per unit', async () => {
    const p = await trainedProject({ cell: 'gru', numLayers: 2, hiddenSize: 10 }, 5);
    const { code, out } = await run(['saturation', '--project', p.dir, '--run', p.runId, '--tokens', '500', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out.join('')) as { tokens: number; layers: Array<Record<string, { left: number[]; right: number[] }>> };
    expect(json.tokens).toBe(500);
    expect(json.layers).toHaveLength(2);
    for (const layer of json.layers) {
      expect(Object.keys(layer)).toEqual(['r', 'z', 'n']);
      for (const { left, right } of Object.values(layer)) {
        expect(left).toHaveLength(10);
        left.forEach((l, u) => {
          expect(l).toBeGreaterThanOrEqual(0);
          expect(l + right[u]!).toBeLessThanOrEqual(1);
          expect(Number.isInteger(l * 500)).toBe(true);
        });
      }
    }
    const text = await run(['saturation', '--project', p.dir, '--run', p.runId]);
    expect(text.out[0]).toMatch(/^gru, 2000 tokens/);
    expect(text.out).toHaveLength(7);
  });

  it('adds the top-k next tokens per step, most probable first, and reads a corpus slice', async () => {
    const p = await trainedProject({ cell: 'lstm', hiddenSize: 8 }, 5);
    const { code, out } = await run(['inspect', '--project', p.dir, '--run', p.runId, '--start', '10', '--count', '30', '--top-k', '3', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out.join('')) as { start: number; tokens: string[]; top: Array<Array<{ token: string; p: number }>>; layers: Array<{ h: number[][] }> };
    expect(json.start).toBe(10);
    expect(json.tokens).toHaveLength(30);
    expect(json.layers[0]!.h).toHaveLength(30);
    expect(json.layers[0]!.h[0]).toHaveLength(8);
    expect(json.top).toHaveLength(30);
    for (const row of json.top) {
      expect(row).toHaveLength(3);
      expect(row[0]!.p).toBeGreaterThanOrEqual(row[1]!.p);
      expect(row[1]!.p).toBeGreaterThanOrEqual(row[2]!.p);
    }
    const plain = await run(['inspect', '--project', p.dir, '--run', p.runId, '--text', 'the time']);
    expect(plain.out).toHaveLength(9);
    expect(plain.out[1]).toMatch(/^\s+0 {2}"t"\s+mean \|h\| \d\.\d{3} {2}next: "/);
  });

  it('refuses bad flags with exit 2 and a line naming the flag', async () => {
    const p = await trainedProject({ cell: 'rnn', hiddenSize: 8 }, 2);
    const base = ['inspect', '--project', p.dir, '--run', p.runId];
    expect((await run([...base, '--text', 'the', '--start', '3'])).err[0]).toMatch(/either --text or --start/);
    const topK = await run([...base, '--text', 'the', '--top-k', '0']);
    expect(topK.code).toBe(2);
    expect(topK.err[0]).toMatch(/--top-k:/);
    const long = await run([...base, '--text', 'x'.repeat(20_001)]);
    expect(long.code).toBe(2);
    expect(long.err[0]).toMatch(/--text: The text is 20001 tokens long/);
    const past = await run([...base, '--start', '99999999']);
    expect(past.code).toBe(2);
    expect(past.err[0]).toMatch(/--start: The corpus has \d+ tokens/);
    const tokens = await run(['saturation', '--project', p.dir, '--run', p.runId, '--tokens', '0']);
    expect(tokens.code).toBe(2);
    expect(tokens.err[0]).toMatch(/--tokens:/);
  });
});

import { describe, expect, it } from 'vitest';
import { recordChunk, type ChunkRecord } from '../../../src/engine/inspect';
import { CELLS, model, tokens } from './helpers';

function recordAll(cell: (typeof CELLS)[number], ids: Int32Array, chunk: number): ChunkRecord[] {
  const m = model(Float64Array, cell);
  const ws = m.createWorkspace(chunk, 1);
  const state = m.createState(1);
  const out: ChunkRecord[] = [];
  for (let s = 0; s < ids.length; s += chunk) {
    const n = Math.min(chunk, ids.length - s);
    out.push(recordChunk(m, ws, ids.subarray(s, s + n), n, state));
  }
  return out;
}

const concat = (parts: Float32Array[]) => {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};

describe('recordChunk', () => {
  const ids = tokens(23, 11);

  it.each(CELLS)('records the same h, c and gates chunk by chunk as in one pass, carrying the state (%s)', (cell) => {
    const whole = recordAll(cell, ids, 23)[0]!;
    const chunks = recordAll(cell, ids, 5);
    expect(chunks.map((c) => c.steps)).toEqual([5, 5, 5, 5, 3]);
    whole.layers.forEach((layer, l) => {
      expect(concat(chunks.map((c) => c.layers[l]!.h))).toEqual(layer.h);
      if (layer.c) expect(concat(chunks.map((c) => c.layers[l]!.c!))).toEqual(layer.c);
      layer.gates.forEach((g, k) => expect(concat(chunks.map((c) => c.layers[l]!.gates[k]!))).toEqual(g));
    });
  });

  it('splits LSTM gates i, f, g, o so that c_t = f·c_{t−1} + i·g and h_t = o·tanh(c_t)', () => {
    const r = recordAll('lstm', ids, 23)[0]!;
    const H = 7;
    for (const layer of r.layers) {
      const [i, f, g, o] = layer.gates as [Float32Array, Float32Array, Float32Array, Float32Array];
      expect(layer.gates).toHaveLength(4);
      for (let t = 0; t < 23; t++) {
        for (let u = 0; u < H; u++) {
          const k = t * H + u, cPrev = t === 0 ? 0 : layer.c![k - H]!;
          expect(layer.c![k]).toBeCloseTo(f[k]! * cPrev + i[k]! * g[k]!, 5);
          expect(layer.h[k]).toBeCloseTo(o[k]! * Math.tanh(layer.c![k]!), 5);
          expect(i[k]).toBeGreaterThanOrEqual(0);
          expect(o[k]).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('splits GRU gates r, z, n so that h_t = (1 − z)·n + z·h_{t−1}', () => {
    const r = recordAll('gru', ids, 23)[0]!;
    const H = 7;
    for (const layer of r.layers) {
      const [, z, n] = layer.gates as [Float32Array, Float32Array, Float32Array];
      expect(layer.c).toBeNull();
      for (let t = 0; t < 23; t++) {
        for (let u = 0; u < H; u++) {
          const k = t * H + u, hPrev = t === 0 ? 0 : layer.h[k - H]!;
          expect(layer.h[k]).toBeCloseTo((1 - z[k]!) * n[k]! + z[k]! * hPrev, 5);
        }
      }
    }
  });

  it('records no gates and no cell for an RNN', () => {
    const r = recordAll('rnn', ids, 23)[0]!;
    expect(r.layers.map((l) => [l.gates.length, l.c])).toEqual([[0, null], [0, null]]);
  });

  it('refuses a workspace with more than one sequence', () => {
    const m = model(Float64Array, 'gru');
    expect(() => recordChunk(m, m.createWorkspace(4, 2), ids, 4, m.createState(2))).toThrow(/batch 1/);
  });
});

import { describe, expect, it } from 'vitest';
import { SaturationCounter, type ChunkRecord } from '../../../src/engine/inspect';

const record = (gateRows: number[][][]): ChunkRecord => ({
  steps: gateRows[0]!.length,
  layers: [{ h: new Float32Array(0), c: null, gates: gateRows.map((rows) => Float32Array.from(rows.flat())) }],
});

describe('SaturationCounter', () => {
  it('counts, per unit and gate, the share of steps below 0.1 and above 0.9 over every chunk', () => {
    const counter = new SaturationCounter(1, 2, 2);
    // gate 0, units (a, b): a is left 2 of 4 steps, right 1; b right 3 of 4. gate 1 never saturates.
    counter.add(record([[[0.05, 0.95], [0.5, 0.91]], [[0.5, 0.5], [0.5, 0.5]]]));
    counter.add(record([[[0.0, 0.99], [0.95, 0.9]], [[0.1, 0.89], [0.2, 0.3]]]));
    const [layer] = counter.fractions();
    expect(counter.count).toBe(4);
    expect(Array.from(layer![0]!.left)).toEqual([0.5, 0]);
    expect(Array.from(layer![0]!.right)).toEqual([0.25, 0.75]);
    expect(Array.from(layer![1]!.left)).toEqual([0, 0]);
    expect(Array.from(layer![1]!.right)).toEqual([0, 0]);
  });
});

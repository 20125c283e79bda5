/** The inspector heatmap's colour scale, pixel painting and token window, as pure functions. */
import { describe, expect, it } from 'vitest';
import { colourTable, rangeFor, scalePosition, scaleRgb } from '../../src/renderer/components/inspect/diverging-scale';
import { maxAbs, paintColumns } from '../../src/renderer/components/inspect/heatmap-paint';
import { clampWindow, panWindow, tokenAt, zoomWindow } from '../../src/renderer/components/inspect/token-window';

const rgba = (word: number) => [...new Uint8Array(new Uint32Array([word]).buffer)];

describe('diverging scale', () => {
  it('maps the low end to blue, the midpoint to near-white and the high end to red', () => {
    const [lr, , lb] = scaleRgb(0);
    const [hr, , hb] = scaleRgb(1);
    expect(lb).toBeGreaterThan(lr);
    expect(hr).toBeGreaterThan(hb);
    expect(Math.min(...scaleRgb(0.5))).toBeGreaterThan(240);
  });

  it('puts a gate’s 0.5 and a tanh output’s 0 in the middle, and clamps values outside the range', () => {
    expect(scalePosition(0.5, rangeFor('f', 0))).toBe(0.5);
    expect(scalePosition(0, rangeFor('h', 0))).toBe(0.5);
    expect(scalePosition(1, rangeFor('i', 0))).toBe(1);
    expect(scalePosition(-1, rangeFor('g', 0))).toBe(0);
    expect(scalePosition(-3, rangeFor('h', 0))).toBe(0);
    expect(scalePosition(0.25, rangeFor('o', 0))).toBe(0.25);
  });

  it('draws the cell state symmetric around 0 up to its largest magnitude', () => {
    expect(rangeFor('c', 2.5)).toEqual({ lo: -2.5, mid: 0, hi: 2.5 });
    expect(scalePosition(-2.5, rangeFor('c', 2.5))).toBe(0);
    expect(rangeFor('c', 0)).toEqual({ lo: -1, mid: 0, hi: 1 });
  });
});

describe('heatmap painting', () => {
  it('writes token t of unit u to pixel (t, u) with the colour of its value', () => {
    // 3 steps × 2 units, rows = time steps
    const values = new Float32Array([-1, 1, 0, 0, 1, -1]);
    const out = new Uint32Array(2 * 3);
    const lut = colourTable();
    paintColumns(out, 3, values, 2, 0, 3, lut, rangeFor('h', 0));
    expect(rgba(out[0]!)).toEqual([...scaleRgb(0), 255]); // t0 u0 = -1
    expect(rgba(out[3]!)).toEqual([...scaleRgb(1), 255]); // t0 u1 = 1
    expect(rgba(out[2]!)).toEqual([...scaleRgb(1), 255]); // t2 u0 = 1
    expect(rgba(out[5]!)).toEqual([...scaleRgb(0), 255]); // t2 u1 = -1
  });

  it('paints only the columns asked for, so streamed chunks add to the picture', () => {
    const values = new Float32Array([1, 1, 1, 1]);
    const out = new Uint32Array(2 * 2);
    paintColumns(out, 2, values, 2, 1, 2, colourTable(), rangeFor('h', 0));
    expect([out[0], out[2]]).toEqual([0, 0]);
    expect(out[1]).not.toBe(0);
  });

  it('finds the largest magnitude among the values received so far, skipping non-finite ones', () => {
    expect(maxAbs(new Float32Array([0.5, -3, Infinity, 9]), 3)).toBe(3);
  });
});

describe('token window', () => {
  it('zooms in around the pointer, keeping the token under it in place', () => {
    const w = zoomWindow({ start: 0, count: 2000 }, 2000, 0.5, 0.5);
    expect(w).toEqual({ start: 500, count: 1000 });
    expect(tokenAt(w, 400, 800)).toBe(1000);
  });

  it('never shows fewer than a few tokens or more than there are, nor scrolls past either end', () => {
    expect(zoomWindow({ start: 0, count: 20 }, 2000, 0.01, 0)).toEqual({ start: 0, count: 8 });
    expect(zoomWindow({ start: 100, count: 500 }, 600, 4, 1)).toEqual({ start: 0, count: 600 });
    expect(panWindow({ start: 1900, count: 100 }, 2000, 50)).toEqual({ start: 1900, count: 100 });
    expect(panWindow({ start: 10, count: 100 }, 2000, -50)).toEqual({ start: 0, count: 100 });
    expect(clampWindow({ start: 5, count: 50 }, 0)).toEqual({ start: 0, count: 0 });
  });

  it('names the token under a pixel column', () => {
    expect(tokenAt({ start: 10, count: 4 }, 0, 400)).toBe(10);
    expect(tokenAt({ start: 10, count: 4 }, 399, 400)).toBe(13);
    expect(tokenAt({ start: 10, count: 4 }, 450, 400)).toBe(13);
  });
});

/**
 * Paints an activation matrix into pixels: one pixel per (token, unit), tokens along x and units
 * along y. The canvas then scales the picture with smoothing off, so zooming is a drawImage of a
 * sub-rectangle, not a repaint.
 */
import { LUT_SIZE, scalePosition, type ScaleRange } from './diverging-scale';

/**
 * values: (steps, units) row-major, rows = time steps, as the inspector streams them.
 * out: (units, width) packed RGBA words; columns [from, to) are written.
 */
export function paintColumns(out: Uint32Array, width: number, values: Float32Array, units: number, from: number, to: number, lut: Uint32Array, range: ScaleRange): void {
  const last = LUT_SIZE - 1;
  for (let t = from; t < to; t++) {
    const row = t * units;
    for (let u = 0; u < units; u++) {
      out[u * width + t] = lut[Math.round(scalePosition(values[row + u]!, range) * last)]!;
    }
  }
}

/** Largest |v| over the first `count` values (the cell state's colour range). */
export function maxAbs(values: Float32Array, count: number): number {
  let m = 0;
  for (let i = 0; i < count; i++) {
    const a = Math.abs(values[i]!);
    if (a > m && Number.isFinite(a)) m = a;
  }
  return m;
}

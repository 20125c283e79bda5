/**
 * The inspector's diverging colour scale: blue for low, near-white at the midpoint, red for high
 * (Karpathy et al.'s text figures). Colours are precomputed into a lookup table of packed RGBA
 * words, so painting 256 × 2,000 cells is one table read per cell.
 */

/** A value range and its midpoint: tanh outputs (h, g) sit in [-1, 1] around 0, sigmoid gates in [0, 1] around 0.5. */
export interface ScaleRange {
  lo: number;
  mid: number;
  hi: number;
}

export const LUT_SIZE = 256;

// end colours of the scale (a readable blue and red, not pure primaries)
const LOW: readonly [number, number, number] = [33, 102, 172];
const MIDDLE: readonly [number, number, number] = [247, 247, 247];
const HIGH: readonly [number, number, number] = [178, 24, 43];

/** RGB of position s ∈ [0, 1] on the scale (0 = lowest). */
export function scaleRgb(s: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(s) ? s : 0.5));
  const [from, to, f] = x < 0.5 ? [LOW, MIDDLE, x * 2] : [MIDDLE, HIGH, (x - 0.5) * 2];
  return [0, 1, 2].map((k) => Math.round(from[k]! + (to[k]! - from[k]!) * f)) as [number, number, number];
}

export function cssColor(s: number): string {
  const [r, g, b] = scaleRgb(s);
  return `rgb(${r}, ${g}, ${b})`;
}

/** A lighter version for backgrounds behind text, so dark characters stay readable at both ends. */
export function textColor(s: number): string {
  const [r, g, b] = scaleRgb(s).map((c) => Math.round(255 - (255 - c) * 0.7));
  return `rgb(${r}, ${g}, ${b})`;
}

/** The table of packed pixels for ImageData's Uint32 view (byte order R, G, B, A in memory). */
export function colourTable(): Uint32Array {
  const bytes = new Uint8ClampedArray(LUT_SIZE * 4);
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = scaleRgb(i / (LUT_SIZE - 1));
    bytes.set([r, g, b, 255], i * 4);
  }
  return new Uint32Array(bytes.buffer);
}

/** Where a value sits on the scale, 0..1: piecewise linear so the midpoint is always the middle colour. */
export function scalePosition(v: number, range: ScaleRange): number {
  if (!Number.isFinite(v)) return 0.5;
  if (v <= range.mid) return range.mid === range.lo ? 0.5 : 0.5 * Math.max(0, (v - range.lo) / (range.mid - range.lo));
  return range.hi === range.mid ? 0.5 : 0.5 + 0.5 * Math.min(1, (v - range.mid) / (range.hi - range.mid));
}

/** The range to draw a quantity with: sigmoid gates [0, 1]; tanh quantities [-1, 1]; the cell state symmetric around 0 up to its largest magnitude. */
export function rangeFor(quantity: string, maxAbs: number): ScaleRange {
  if (quantity === 'c') {
    const m = maxAbs > 0 && Number.isFinite(maxAbs) ? maxAbs : 1;
    return { lo: -m, mid: 0, hi: m };
  }
  if (isSigmoid(quantity)) return { lo: 0, mid: 0.5, hi: 1 };
  return { lo: -1, mid: 0, hi: 1 };
}

/** Gates squashed by a sigmoid: LSTM i, f, o and GRU r, z (g and n are tanh candidates). */
export function isSigmoid(quantity: string): boolean {
  return ['i', 'f', 'o', 'r', 'z'].includes(quantity);
}

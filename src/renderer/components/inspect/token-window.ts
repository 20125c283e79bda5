/**
 * The span of tokens the heatmap shows: zoom keeps the token under the pointer where it is, pan
 * moves by whole tokens, and the span never leaves [0, total).
 */
export interface TokenWindow {
  start: number;
  count: number;
}

/** Fewest tokens a zoomed-in heatmap shows. */
export const MIN_TOKENS = 8;

export function clampWindow(w: TokenWindow, total: number): TokenWindow {
  if (total <= 0) return { start: 0, count: 0 };
  const count = Math.min(total, Math.max(Math.min(MIN_TOKENS, total), Math.round(w.count)));
  const start = Math.min(total - count, Math.max(0, Math.round(w.start)));
  return { start, count };
}

/** factor < 1 zooms in; `anchor` ∈ [0, 1] is where the pointer is across the heatmap. */
export function zoomWindow(w: TokenWindow, total: number, factor: number, anchor: number): TokenWindow {
  const a = Math.min(1, Math.max(0, anchor));
  const pivot = w.start + a * w.count;
  const count = Math.min(total, Math.max(Math.min(MIN_TOKENS, total), Math.round(w.count * factor)));
  return clampWindow({ start: pivot - a * count, count }, total);
}

export function panWindow(w: TokenWindow, total: number, tokens: number): TokenWindow {
  return clampWindow({ start: w.start + tokens, count: w.count }, total);
}

/** The token under x pixels across a heatmap `width` pixels wide. */
export function tokenAt(w: TokenWindow, x: number, width: number): number {
  if (width <= 0 || w.count === 0) return w.start;
  return Math.min(w.start + w.count - 1, Math.max(w.start, w.start + Math.floor((x / width) * w.count)));
}

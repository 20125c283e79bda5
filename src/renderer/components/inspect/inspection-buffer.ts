/**
 * One inspection as it streams in: arrays sized for all its steps once the header is known, each
 * chunk copied into place. Chunks that arrive before the header (events can overtake the answer to
 * `inspect:start`) wait in a queue. Kept out of Vue's reactivity: the store ticks a version.
 */
import type { InspectChunk, InspectHeader } from '../../../shared/inspect';

export interface LayerArrays {
  /** (steps, hiddenSize) row-major. */
  h: Float32Array;
  c: Float32Array | null;
  gates: Record<string, Float32Array>;
}

export interface Inspection {
  header: InspectHeader;
  tokens: string[];
  layers: LayerArrays[];
  /** Next-token predictions after each step: (steps, k) token texts and probabilities. */
  k: number;
  topTokens: string[];
  topProbs: Float32Array;
  /** Steps received, in order from 0. */
  received: number;
}

export function newInspection(header: InspectHeader, k: number): Inspection {
  const size = header.steps * header.hiddenSize;
  return {
    header,
    tokens: new Array<string>(header.steps).fill(''),
    layers: Array.from({ length: header.numLayers }, () => ({
      h: new Float32Array(size),
      c: header.cell === 'lstm' ? new Float32Array(size) : null,
      gates: Object.fromEntries(header.gates.map((g) => [g, new Float32Array(size)])),
    })),
    k,
    topTokens: new Array<string>(header.steps * k).fill(''),
    topProbs: new Float32Array(header.steps * k),
    received: 0,
  };
}

/** Copies a chunk into place; returns false (and copies nothing) when it does not fit the header. */
export function addChunk(ins: Inspection, chunk: InspectChunk): boolean {
  const H = ins.header.hiddenSize;
  const n = chunk.tokens.length;
  if (chunk.start + n > ins.header.steps || chunk.layers.length !== ins.layers.length || chunk.top.k !== ins.k) return false;
  const at = chunk.start * H;
  chunk.layers.forEach((l, i) => {
    const dst = ins.layers[i]!;
    dst.h.set(l.h.data.subarray(0, n * H), at);
    if (dst.c && l.c) dst.c.set(l.c.data.subarray(0, n * H), at);
    for (const [g, m] of Object.entries(l.gates)) dst.gates[g]?.set(m.data.subarray(0, n * H), at);
  });
  for (let t = 0; t < n; t++) ins.tokens[chunk.start + t] = chunk.tokens[t]!;
  for (let j = 0; j < n * ins.k; j++) ins.topTokens[chunk.start * ins.k + j] = chunk.top.tokens[j]!;
  ins.topProbs.set(chunk.top.probs.subarray(0, n * ins.k), chunk.start * ins.k);
  ins.received = Math.max(ins.received, chunk.start + n);
  return true;
}

/** The array a heatmap of `quantity` (h, c or a gate name) of a layer draws. */
export function quantityOf(ins: Inspection, layer: number, quantity: string): Float32Array | null {
  const l = ins.layers[layer];
  if (!l) return null;
  if (quantity === 'h') return l.h;
  if (quantity === 'c') return l.c;
  return l.gates[quantity] ?? null;
}

/** The k predictions after step t, most probable first. */
export function predictionsAt(ins: Inspection, t: number): Array<{ token: string; p: number }> {
  if (t < 0 || t >= ins.received) return [];
  return Array.from({ length: ins.k }, (_, j) => ({ token: ins.topTokens[t * ins.k + j]!, p: ins.topProbs[t * ins.k + j]! }));
}

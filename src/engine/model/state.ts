import type { FloatArray } from '../tensor';

/**
 * Recurrent state in PyTorch layout: h (L, B, H) and, for LSTM, c (L, B, H).
 * Carrying it between minibatches (d2l's sequential partitioning) means passing the final state
 * of one forward as the initial state of the next: backpropagation never reaches past the initial
 * state a forward received, so the carried state is detached by construction.
 */
export interface RecurrentState<A extends FloatArray = FloatArray> {
  readonly numLayers: number;
  readonly batch: number;
  readonly hiddenSize: number;
  readonly h: A;
  readonly c: A | null;
}

export function createRecurrentState<A extends FloatArray>(
  ctor: new (length: number) => A, numLayers: number, batch: number, hiddenSize: number, withCell: boolean,
): RecurrentState<A> {
  const n = numLayers * batch * hiddenSize;
  return { numLayers, batch, hiddenSize, h: new ctor(n), c: withCell ? new ctor(n) : null };
}

/** Zero the state (d2l's random sampling resets it for every minibatch). */
export function resetState(s: RecurrentState): void {
  s.h.fill(0);
  s.c?.fill(0);
}

export function copyState(dst: RecurrentState, src: RecurrentState): void {
  if (dst.h.length !== src.h.length || (dst.c === null) !== (src.c === null)) throw new RangeError('recurrent states differ in shape');
  dst.h.set(src.h);
  if (dst.c && src.c) dst.c.set(src.c);
}

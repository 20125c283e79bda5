import type { FloatArray } from '../tensor';
import type { RnnModel } from './rnn-model';
import type { Workspace } from './workspace';

/** Where a training step first produced Inf or NaN, so the trainer can skip or stop the step. */
export interface NonFiniteReport {
  /** The loss itself is not finite. */
  loss: boolean;
  /** First parameter gradient (state_dict order) holding a non-finite entry, and that entry's flat index. */
  gradient: { name: string; index: number; value: number } | null;
  /** First time step (0-based, the state after input t) whose hidden or cell state is non-finite, and its lowest layer. */
  hidden: { step: number; layer: number } | null;
}

function firstNonFinite(a: FloatArray, from = 0, to = a.length): number {
  for (let i = from; i < to; i++) if (!Number.isFinite(a[i]!)) return i;
  return -1;
}

/**
 * Check the last forward (and backward, if gradients are given) for non-finite numbers.
 * Returns null when everything is finite. Pass `checkGradients = false` after a forward alone.
 */
export function findNonFinite<A extends FloatArray>(model: RnnModel<A>, ws: Workspace<A>, checkGradients = true): NonFiniteReport | null {
  // a forward without targets leaves loss NaN on purpose; that is not a divergence
  const loss = ws.hasTargets && !Number.isFinite(ws.loss);
  let gradient: NonFiniteReport['gradient'] = null;
  if (checkGradients) {
    for (const [name, t] of model.grads) {
      const i = firstNonFinite(t.data);
      if (i >= 0) { gradient = { name, index: i, value: t.data[i]! }; break; }
    }
  }
  let hidden: NonFiniteReport['hidden'] = null;
  const { numLayers: L, hiddenSize: H } = model.config;
  const BH = ws.batch * H;
  search: for (let t = 0; t < ws.steps; t++) {
    for (let l = 0; l < L; l++) {
      const from = (t + 1) * BH, to = from + BH;
      const c = ws.cell(l);
      if (firstNonFinite(ws.hidden(l), from, to) >= 0 || (c && firstNonFinite(c, from, to) >= 0)) {
        hidden = { step: t, layer: l };
        break search;
      }
    }
  }
  return loss || gradient || hidden ? { loss, gradient, hidden } : null;
}


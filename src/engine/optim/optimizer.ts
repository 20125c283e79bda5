/**
 * What every optimizer shares: params and grads bound once at construction (same keys, same
 * sizes), per-parameter state buffers allocated once, and checkpoint export/import.
 *
 * The optimizer keeps references to the tensors' `data` arrays: the model must update its
 * parameters and gradients in place and never swap those arrays for new ones.
 */
import type { FloatArray, NamedTensors, Tensor } from '../tensor';
import { zerosLike } from '../tensor';
import { OptimError } from './errors';

export type OptimizerKind = 'sgd' | 'adam' | 'adamw' | 'rmsprop';

/**
 * Checkpoint form: the step count plus one tensor per (state slot, parameter), keyed
 * `${slot}.${param}` (e.g. `exp_avg.rnn.weight_ih_l0`), in parameter order.
 */
export interface OptimizerState<A extends FloatArray = FloatArray> {
  kind: OptimizerKind;
  step: number;
  tensors: NamedTensors<A>;
}

export interface Optimizer<A extends FloatArray = FloatArray> {
  readonly kind: OptimizerKind;
  /** Learning rate for the next `step()`; a schedule sets it before each step. */
  lr: number;
  /** Updates taken so far. */
  readonly stepCount: number;
  step(): void;
  /** A copy of the state, safe to transfer or serialise. */
  exportState(): OptimizerState<A>;
  /** Copies a state from `exportState` (same kind, same parameters) into this optimizer. */
  importState(state: OptimizerState): void;
}

export interface BoundParam<A extends FloatArray> {
  name: string;
  param: Tensor<A>;
  p: A;
  g: A;
}

export function bindParams<A extends FloatArray>(params: NamedTensors<A>, grads: NamedTensors<A>): BoundParam<A>[] {
  if (params.size !== grads.size) throw new OptimError('ParamMismatch', 'The gradients do not match the parameters.', { params: params.size, grads: grads.size });
  const bound: BoundParam<A>[] = [];
  for (const [name, param] of params) {
    const grad = grads.get(name);
    if (grad === undefined) throw new OptimError('ParamMismatch', `No gradient for parameter ${name}.`, { name });
    if (grad.data.length !== param.data.length) throw new OptimError('ParamMismatch', `Gradient of ${name} has a different size.`, { name });
    bound.push({ name, param, p: param.data, g: grad.data });
  }
  return bound;
}

/** One zeroed buffer per parameter for a state slot such as `exp_avg`. */
export function allocSlot<A extends FloatArray>(bound: readonly BoundParam<A>[]): A[] {
  return bound.map((b) => zerosLike(b.param).data);
}

export function exportSlots<A extends FloatArray>(bound: readonly BoundParam<A>[], slots: Readonly<Record<string, A[]>>): NamedTensors<A> {
  const out: NamedTensors<A> = new Map();
  for (const [slot, buffers] of Object.entries(slots)) {
    bound.forEach((b, k) => out.set(`${slot}.${b.name}`, { shape: [...b.param.shape], data: buffers[k]!.slice() as A }));
  }
  return out;
}

export function importSlots<A extends FloatArray>(kind: OptimizerKind, bound: readonly BoundParam<A>[], slots: Readonly<Record<string, A[]>>, state: OptimizerState): number {
  const fail = (reason: string, details: Record<string, unknown> = {}): never => {
    throw new OptimError('ParamMismatch', `The saved optimizer state does not fit this model: ${reason}.`, { reason, ...details });
  };
  if (state.kind !== kind) fail('different optimizer', { saved: state.kind, expected: kind });
  if (!Number.isInteger(state.step) || state.step < 0) fail('bad step count', { step: state.step });
  const expected = Object.keys(slots).length * bound.length;
  if (state.tensors.size !== expected) fail('different number of tensors', { saved: state.tensors.size, expected });
  for (const [slot, buffers] of Object.entries(slots)) {
    bound.forEach((b, k) => {
      const key = `${slot}.${b.name}`;
      const t = state.tensors.get(key);
      if (t === undefined) return fail('missing tensor', { key });
      if (t.data.length !== buffers[k]!.length) fail('tensor of a different size', { key });
      buffers[k]!.set(t.data);
    });
  }
  return state.step;
}

export function checkHyper(name: string, value: number, ok: boolean): void {
  if (!Number.isFinite(value) || !ok) throw new OptimError('InvalidOption', `Invalid optimizer setting ${name}: ${value}.`, { name, value });
}

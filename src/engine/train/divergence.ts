/**
 * What a non-finite training step reports: the update was skipped, and the report says where the
 * first Inf/NaN appeared, in the order the step computes (forward through time, loss, gradients),
 * plus any parameter that already held one (e.g. loaded or injected).
 */
import type { RnnModel } from '../model/rnn-model';
import { findNonFinite } from '../model/non-finite';
import type { Workspace } from '../model/workspace';
import type { FloatArray } from '../tensor';

/** `exploding-loss`: every number stayed finite, but the loss stayed far above guessing (see `explodingLossReport`). */
export type DivergenceCause = 'parameter' | 'hidden' | 'loss' | 'gradient' | 'exploding-loss';

/**
 * The exploding-loss rule: a training loss above `EXPLODING_LOSS_FACTOR`·ln V (ln V is the loss of a
 * uniform guess among V tokens) for `EXPLODING_LOSS_STEPS` updates in a row. A healthy run starts
 * near ln V and falls; one that sits at four times that for a stretch is not learning, it is
 * bouncing between huge logits (lr 100 without clipping gives losses in the thousands).
 */
export const EXPLODING_LOSS_FACTOR = 4;
export const EXPLODING_LOSS_STEPS = 25;

export interface DivergenceReport {
  /** The earliest place, in computation order, where a non-finite number appeared. */
  cause: DivergenceCause;
  /** A parameter whose values were already non-finite when the step began (first in state_dict order). */
  parameter: { name: string; index: number; value: number } | null;
  /** First time step (0-based within the minibatch) and lowest layer whose h or c is non-finite. */
  hidden: { step: number; layer: number } | null;
  loss: number;
  /** First gradient (state_dict order) holding a non-finite entry. */
  gradient: { name: string; index: number; value: number } | null;
  /** Global norm of the gradients (non-finite when a gradient is). */
  gradNorm: number;
  /** Update count (0-based) and position of the failed step. */
  step: number;
  epoch: number;
  stepInEpoch: number;
  lr: number;
  /** A sentence for the run log and the UI. */
  message: string;
}

type Where = Omit<DivergenceReport, 'cause' | 'parameter' | 'hidden' | 'gradient' | 'message'>;

function firstNonFiniteParameter<A extends FloatArray>(model: RnnModel<A>): DivergenceReport['parameter'] {
  for (const [name, t] of model.params) {
    const d = t.data;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) return { name, index: i, value: d[i]! };
  }
  return null;
}

/** Builds the report after a step found a non-finite loss, gradient norm or state (slow path only). */
export function diagnoseDivergence<A extends FloatArray>(model: RnnModel<A>, ws: Workspace<A>, where: Where): DivergenceReport {
  const found = findNonFinite(model, ws, true);
  const parameter = firstNonFiniteParameter(model);
  const hidden = found?.hidden ?? null;
  const gradient = found?.gradient ?? null;
  const lossBad = !Number.isFinite(where.loss);
  const cause: DivergenceCause = parameter ? 'parameter' : hidden ? 'hidden' : lossBad ? 'loss' : 'gradient';
  const parts: string[] = [];
  if (parameter) parts.push(`parameter ${parameter.name} already held ${parameter.value} at index ${parameter.index}`);
  if (hidden) parts.push(`the hidden state of layer ${hidden.layer} became non-finite at time step ${hidden.step}`);
  if (lossBad) parts.push(`the loss was ${where.loss}`);
  if (gradient) parts.push(`the gradient of ${gradient.name} was ${gradient.value} at index ${gradient.index}`);
  if (parts.length === 0) parts.push(`the gradient norm was ${where.gradNorm}`);
  const message = `Training diverged at update ${where.step} (epoch ${where.epoch + 1}, minibatch ${where.stepInEpoch + 1}, learning rate ${where.lr}): `
    + `${parts.join('; ')}. The update was skipped; lower the learning rate or enable gradient clipping.`;
  return { cause, parameter, hidden, gradient, ...where, message };
}

/** The report for a run whose loss exploded without any Inf/NaN (the step's update is skipped). */
export function explodingLossReport(where: Where, vocabSize: number, steps: number): DivergenceReport {
  const limit = EXPLODING_LOSS_FACTOR * Math.log(vocabSize);
  const message = `Training diverged at update ${where.step} (epoch ${where.epoch + 1}, minibatch ${where.stepInEpoch + 1}, learning rate ${where.lr}): `
    + `the training loss exploded: it stayed above ${round(limit)} (${EXPLODING_LOSS_FACTOR} × ln ${vocabSize}, ${EXPLODING_LOSS_FACTOR} times the loss of a uniform guess) `
    + `for ${steps} updates in a row and was ${round(where.loss)} at the last one. The update was skipped; lower the learning rate or enable gradient clipping.`;
  return { cause: 'exploding-loss', parameter: null, hidden: null, gradient: null, ...where, message };
}

const round = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));

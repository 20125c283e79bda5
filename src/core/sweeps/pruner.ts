/**
 * Early stopping of trials from their intermediate values (validation perplexity per epoch,
 * step = epoch, minimised), with Optuna's semantics so the journal reads as Optuna would have
 * written it: `median` is MedianPruner, `asha` is SuccessiveHalvingPruner (asynchronous
 * successive halving). A decision reads only the trial and the sweep's other trials.
 */
import type { Pruner as PrunerName, TrialState } from '../../shared/sweep';
import { ashaPruner } from './asha-pruner';
import { medianPruner } from './median-pruner';

export interface PrunerTrial {
  number: number;
  state: TrialState;
  intermediate: readonly { step: number; value: number }[];
  /** ASHA's `completed_rung_k` system attributes: the value the trial had when it reached rung k. */
  rungs: Readonly<Record<string, number>>;
}

export interface PruneDecision {
  prune: boolean;
  /** Rungs this check completed (ASHA), to keep on the trial and write to the journal. */
  rungs: Record<string, number>;
}

export interface Pruner {
  check(trial: PrunerTrial, trials: readonly PrunerTrial[]): PruneDecision;
}

export const neverPrune: Pruner = { check: () => ({ prune: false, rungs: {} }) };

export function createPruner(name: PrunerName): Pruner {
  switch (name) {
    case 'none':
      return neverPrune;
    case 'median':
      return medianPruner();
    case 'asha':
      return ashaPruner();
  }
}

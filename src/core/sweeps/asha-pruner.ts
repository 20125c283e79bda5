/**
 * Asynchronous successive halving as Optuna's SuccessiveHalvingPruner: rung k sits at
 * minResource · η^k epochs (1, 3, 9, … for η = 3). A trial reaching a rung records its value
 * there (`completed_rung_k`) and goes on only if that value is in the best 1/η of every value
 * recorded at that rung so far (the first η − 1 arrivals go on only if best); otherwise it is
 * pruned. No trial waits for others: promotion is decided on arrival.
 */
import type { Pruner, PrunerTrial } from './pruner';

export interface AshaOptions {
  minResource?: number;
  reductionFactor?: number;
  minEarlyStoppingRate?: number;
  bootstrapCount?: number;
}

export const rungKey = (rung: number): string => `completed_rung_${rung}`;

export function isPromotable(value: number, competing: number[], reductionFactor: number): boolean {
  let idx = Math.floor(competing.length / reductionFactor) - 1;
  if (idx === -1) idx = 0;
  const sorted = [...competing].sort((a, b) => a - b);
  return value <= sorted[idx]!;
}

export function ashaPruner(options: AshaOptions = {}): Pruner {
  const minResource = options.minResource ?? 1;
  const eta = options.reductionFactor ?? 3;
  const rate = options.minEarlyStoppingRate ?? 0;
  const bootstrap = options.bootstrapCount ?? 0;
  return {
    check(trial: PrunerTrial, trials: readonly PrunerTrial[]) {
      const rungs: Record<string, number> = {};
      const last = trial.intermediate.at(-1);
      if (!last) return { prune: false, rungs };
      const { step, value } = last;
      let rung = 0;
      while (rungKey(rung) in trial.rungs) rung++;
      for (;;) {
        if (step < minResource * eta ** (rate + rung)) return { prune: false, rungs };
        if (Number.isNaN(value)) return { prune: true, rungs };
        const key = rungKey(rung);
        rungs[key] = value;
        const competing = trials.filter((t) => t.number !== trial.number && key in t.rungs).map((t) => t.rungs[key]!);
        competing.push(value);
        if (competing.length <= bootstrap) return { prune: true, rungs };
        if (!isPromotable(value, competing, eta)) return { prune: true, rungs };
        rung++;
      }
    },
  };
}

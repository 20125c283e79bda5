/**
 * Parameter importance of a sweep, fANOVA-like: how much of the objective's variance each
 * parameter's marginal explains on its own. Trials are grouped by the parameter (one group per
 * category; numeric values in equal-width bins, on a log scale for log parameters), and the
 * variance of the group means is measured as ε² = (SS_between − (k − 1)·MS_within) / SS_total —
 * η² corrected for the spread a parameter with k groups shows by chance, so a parameter that does
 * not matter scores about 0 instead of (k − 1)/(n − 1). Scores are normalised to sum to 1, as
 * Optuna's `get_param_importances` does.
 */

export interface ImportanceParam {
  name: string;
  /** Categorical values group exactly; numeric ones are binned. */
  kind: 'categorical' | 'numeric';
  log?: boolean;
}

export interface ImportanceTrial {
  params: Readonly<Record<string, string | number | boolean>>;
  value: number | null;
}

export interface Importance {
  name: string;
  /** Share of the explained variance, 0…1; the scores of all parameters sum to 1 (or all are 0). */
  importance: number;
}

const MAX_BINS = 8;

/** Importances, largest first; parameters that explain nothing score 0. */
export function paramImportance(params: readonly ImportanceParam[], trials: readonly ImportanceTrial[]): Importance[] {
  const done = trials.filter((t) => typeof t.value === 'number' && Number.isFinite(t.value));
  const y = done.map((t) => t.value as number);
  const raw = params.map((p) => ({ name: p.name, score: done.length < 3 ? 0 : epsilonSquared(groupsOf(p, done), y) }));
  const total = raw.reduce((a, r) => a + r.score, 0);
  return raw.map((r) => ({ name: r.name, importance: total > 0 ? r.score / total : 0 })).sort((a, b) => b.importance - a.importance);
}

/** The group index of each trial for parameter `p` (trials missing the parameter get -1). */
export function groupsOf(p: ImportanceParam, trials: readonly ImportanceTrial[]): number[] {
  if (p.kind === 'categorical') {
    const ids = new Map<string, number>();
    return trials.map((t) => {
      const v = t.params[p.name];
      if (v === undefined) return -1;
      const key = String(v);
      if (!ids.has(key)) ids.set(key, ids.size);
      return ids.get(key)!;
    });
  }
  const x = trials.map((t) => {
    const v = Number(t.params[p.name]);
    if (!Number.isFinite(v) || (p.log && v <= 0)) return NaN;
    return p.log ? Math.log(v) : v;
  });
  const finite = x.filter(Number.isFinite);
  if (finite.length === 0) return x.map(() => -1);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const distinct = new Set(finite).size;
  const bins = Math.min(MAX_BINS, distinct, Math.max(2, Math.ceil(Math.sqrt(finite.length))));
  if (hi === lo || bins < 2) return x.map((v) => (Number.isFinite(v) ? 0 : -1));
  return x.map((v) => (Number.isFinite(v) ? Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins)) : -1));
}

/** ε² of y grouped by `group` (entries with group -1 are left out); 0 when it cannot be told. */
function epsilonSquared(group: readonly number[], y: readonly number[]): number {
  const sums = new Map<number, { n: number; sum: number }>();
  let n = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const g = group[i]!;
    if (g < 0) continue;
    const s = sums.get(g) ?? { n: 0, sum: 0 };
    s.n++;
    s.sum += y[i]!;
    sums.set(g, s);
    n++;
    total += y[i]!;
  }
  const k = sums.size;
  if (k < 2 || n <= k) return 0;
  const mean = total / n;
  let ssTotal = 0;
  let ssWithin = 0;
  for (let i = 0; i < y.length; i++) {
    const g = group[i]!;
    if (g < 0) continue;
    const s = sums.get(g)!;
    ssTotal += (y[i]! - mean) ** 2;
    ssWithin += (y[i]! - s.sum / s.n) ** 2;
  }
  if (ssTotal <= 0) return 0;
  const ssBetween = ssTotal - ssWithin;
  const msWithin = ssWithin / (n - k);
  return Math.max(0, (ssBetween - (k - 1) * msWithin) / ssTotal);
}

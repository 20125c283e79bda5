/**
 * The sweep's trial table as data: sorting by any column, the state filter and the "best k %"
 * filter. The objective is minimised, so the best trials are those with the smallest value.
 */

export interface TableTrial {
  number: number;
  state: string;
  value: number | null;
  params: Readonly<Record<string, string | number | boolean>>;
}

/** `number`, `value`, `state`, or `param:<field>`. */
export type TrialSortKey = 'number' | 'value' | 'state' | `param:${string}`;

export interface TrialFilter {
  /** States to show; empty shows every state. */
  states: readonly string[];
  /** Keep only the best k % of the trials that have a value (100 keeps all). */
  bestPercent: number;
}

function cell(t: TableTrial, key: TrialSortKey): string | number | boolean | null {
  if (key === 'number') return t.number;
  if (key === 'value') return hasValue(t) ? t.value : null;
  if (key === 'state') return t.state;
  return t.params[key.slice('param:'.length)] ?? null;
}

function hasValue(t: TableTrial): t is TableTrial & { value: number } {
  return typeof t.value === 'number' && Number.isFinite(t.value);
}

/** Sorted copy; trials without the sorted value (no objective yet) always go last, ties by trial number. */
export function sortTrials<T extends TableTrial>(trials: readonly T[], key: TrialSortKey, dir: 'asc' | 'desc'): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...trials].sort((a, b) => {
    const va = cell(a, key);
    const vb = cell(b, key);
    if (va === null || vb === null) return va === vb ? a.number - b.number : va === null ? 1 : -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb), undefined, { numeric: true });
    return c !== 0 ? sign * c : a.number - b.number;
  });
}

/** The numbers of the best ⌈k % · n⌉ trials among the n with a value (at least one when any has a value). */
export function bestTrialNumbers(trials: readonly TableTrial[], percent: number): Set<number> {
  const valued = trials.filter(hasValue).sort((a, b) => a.value - b.value || a.number - b.number);
  if (percent >= 100) return new Set(valued.map((t) => t.number));
  const keep = Math.max(valued.length > 0 ? 1 : 0, Math.ceil((Math.max(0, percent) / 100) * valued.length));
  return new Set(valued.slice(0, keep).map((t) => t.number));
}

export function filterTrials<T extends TableTrial>(trials: readonly T[], filter: TrialFilter): T[] {
  const best = filter.bestPercent < 100 ? bestTrialNumbers(trials, filter.bestPercent) : null;
  return trials.filter((t) => (filter.states.length === 0 || filter.states.includes(t.state)) && (best === null || best.has(t.number)));
}

/** The trial with the smallest value, or null. */
export function bestTrial<T extends TableTrial>(trials: readonly T[]): T | null {
  let best: T | null = null;
  for (const t of trials) if (hasValue(t) && (best === null || t.value < (best.value as number))) best = t;
  return best;
}

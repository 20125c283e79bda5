/** The comparison table: which config fields differ between runs, and sorting its rows. */
import { runConfigFields, type RunConfig, type RunConfigKey } from '../../shared/run-config';

export const COMPARED_KEYS = Object.keys(runConfigFields) as RunConfigKey[];

/** Config fields whose value is not the same in every run. */
export function differingKeys(configs: readonly RunConfig[]): RunConfigKey[] {
  if (configs.length < 2) return [];
  return COMPARED_KEYS.filter((k) => configs.some((c) => c[k] !== configs[0]![k]));
}

export type SortKey = 'name' | 'best' | RunConfigKey;

export interface CompareRow {
  id: string;
  name: string;
  best: number | null;
  config: RunConfig;
}

/** Sorted copy; missing values (no validation yet) always go last. */
export function sortRows(rows: readonly CompareRow[], key: SortKey, dir: 'asc' | 'desc'): CompareRow[] {
  const value = (r: CompareRow): string | number | null => (key === 'name' ? r.name : key === 'best' ? r.best : (r.config[key] as string | number));
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1;
    if (typeof va === 'number' && typeof vb === 'number') return sign * (va - vb);
    return sign * String(va).localeCompare(String(vb), undefined, { numeric: true });
  });
}

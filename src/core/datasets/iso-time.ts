/**
 * ISO 8601 dates and datetimes as they appear in CSV time columns, and the sampling step a column
 * of them implies. Accepted forms: `1959-01` (year-month), `2020-01-31`, `2020-01-31 12:00`,
 * `2020-01-31T12:00:00`, with optional fractional seconds and a `Z` or `±HH:MM` offset, and
 * pandas' quarter periods `1974Q1` / `1974-Q1` (the quarter's first day). A time
 * without an offset is read as UTC, so steps are never bent by daylight-saving changes.
 */
import type { CsvTimeStep } from '../../shared/datasets';

const QUARTER = /^(\d{4})-?Q([1-4])$/;
const ISO = /^(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?)?$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysInMonth = (year: number, month: number): number =>
  month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : DAYS[month - 1]!;

/** Milliseconds since 1970-01-01 UTC, or null when `text` is not one of the accepted forms or not a real calendar time. */
export function parseIsoTime(text: string): number | null {
  const q = QUARTER.exec(text);
  if (q !== null) return parseIsoTime(`${q[1]}-${String(3 * Number(q[2]) - 2).padStart(2, '0')}`);
  const m = ISO.exec(text);
  if (m === null) return null;
  const year = Number(m[1]), month = Number(m[2]), day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]), minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  if (day > daysInMonth(year, month)) return null; // 2021-02-30 is not a day
  // Date.UTC reads years 0-99 as 1900-1999; those go through setUTCFullYear
  let t = year >= 100 ? Date.UTC(year, month - 1, day, hour, minute, second, ms) : new Date(0).setUTCFullYear(year, month - 1, day) + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offH = Number(digits.slice(0, 2)), offM = Number(digits.slice(2));
    if (offH > 23 || offM > 59) return null;
    t -= sign * (offH * 60 + offM) * 60_000;
  }
  return t;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Step name from the typical gap between consecutive times (ms), with its seasonal period. */
export function classifyStep(gap: number): { step: CsvTimeStep; seasonalPeriod: number | null } {
  const near = (target: number, tolerance: number) => Math.abs(gap - target) <= tolerance;
  if (near(HOUR, 60_000)) return { step: 'hourly', seasonalPeriod: 24 };
  if (near(DAY, HOUR)) return { step: 'daily', seasonalPeriod: 7 };
  if (near(7 * DAY, HOUR)) return { step: 'weekly', seasonalPeriod: 52 };
  if (gap >= 28 * DAY - HOUR && gap <= 31 * DAY + HOUR) return { step: 'monthly', seasonalPeriod: 12 };
  if (gap >= 89 * DAY - HOUR && gap <= 92 * DAY + HOUR) return { step: 'quarterly', seasonalPeriod: 4 };
  if (gap >= 365 * DAY - HOUR && gap <= 366 * DAY + HOUR) return { step: 'yearly', seasonalPeriod: 1 };
  return { step: 'irregular', seasonalPeriod: null };
}

/** The median of the gaps (ms) between consecutive times; NaN when there are none. */
export function medianGap(gaps: readonly number[]): number {
  if (gaps.length === 0) return NaN;
  const sorted = [...gaps].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

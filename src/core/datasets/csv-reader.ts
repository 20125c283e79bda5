/**
 * Numeric CSV, read from LF-normalised text in chunks.
 *
 * Policy (shown to users, asserted by tests):
 * - Delimiter: `,` `;` or tab, chosen from the first 50 non-blank lines as the one that splits
 *   every sampled line into the same number (≥ 2) of fields, preferring more fields, then tab,
 *   `;`, `,`. If none splits any line, the file is one column. Decimal separator is always `.`.
 * - Header: the first row is a header when none of its fields is a number (or missing marker)
 *   and at least one is non-empty. Otherwise columns are named `column1`, `column2`, ….
 * - Quotes: a field may be wrapped in `"` with `""` for a quote; quoted fields cannot span lines.
 * - Column kind: decided by its first non-missing cell: a number makes it `numeric`, anything
 *   else `label` (dates, names — kept in the source, not used as a series).
 * - Missing: an empty cell or `NaN`, `NA`, `N/A`, `null`, `None` (any case) is a missing value,
 *   counted per column and read back as NaN. Statistics use the present values only.
 * - Refused: `inf`/`Infinity` or a number that overflows (`NonFiniteCell`), text in a numeric
 *   column (`NonNumericCell`), a row with a different number of fields (`RaggedRow`), all with
 *   the 1-based line number. Blank lines are skipped.
 */
import type { CsvColumnStats, CsvStats } from '../store/schemas';
import { DatasetError } from './dataset-error';

export type Delimiter = ',' | ';' | '\t' | 'none';

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITE = /^[+-]?(?:inf|infinity)$/i;
const MISSING = /^(?:|nan|na|n\/a|null|none)$/i;
const SAMPLE_LINES = 50;
const PREFERENCE: readonly Delimiter[] = ['\t', ';', ','];

interface Column {
  name: string;
  kind: 'numeric' | 'label' | 'undecided';
  count: number;
  missing: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

export type RowSink = (values: Float64Array, line: number) => void;

export function splitFields(line: string, delimiter: Delimiter, lineNo: number): string[] {
  if (delimiter === 'none') return [line];
  if (!line.includes('"')) return line.split(delimiter);
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ') i++;
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new DatasetError('UnclosedQuote', { line: lineNo });
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      while (line[i] === ' ') i++;
      fields.push(value);
      if (i >= line.length) return fields;
      if (line[i] !== delimiter) throw new DatasetError('UnclosedQuote', { line: lineNo });
      i++;
    } else {
      const d = line.indexOf(delimiter, i);
      if (d < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, d));
      i = d + 1;
    }
  }
}

export function detectDelimiter(lines: readonly string[]): Delimiter {
  let best: Delimiter = 'none';
  let bestFields = 1;
  let bestAgree = 0;
  for (const d of PREFERENCE) {
    const counts = lines.map((l, i) => {
      try {
        return splitFields(l, d, i + 1).length;
      } catch {
        return -1; // a broken quote counts as disagreeing; the real parse reports it with its line
      }
    });
    const first = counts[0] ?? 1;
    if (first < 2) continue;
    const agree = counts.filter((c) => c === first).length;
    // all lines agreeing beats partial agreement; then more fields; ties keep the earlier preference
    if (agree > bestAgree || (agree === bestAgree && first > bestFields)) {
      best = d;
      bestFields = first;
      bestAgree = agree;
    }
  }
  return best;
}

export class CsvReader {
  private carry = '';
  private lineNo = 0;
  private sample: { text: string; line: number }[] | undefined = [];
  private delimiter: Delimiter = 'none';
  private hasHeader = false;
  private columns: Column[] = [];
  private rows = 0;

  constructor(
    private readonly onRow?: RowSink,
    private readonly maxLineChars = 1 << 20,
  ) {}

  push(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const line = this.carry + text.slice(start, nl);
      this.carry = '';
      this.line(line);
      start = nl + 1;
    }
    this.carry += text.slice(start);
    if (this.carry.length > this.maxLineChars) throw new DatasetError('LineTooLong', { line: this.lineNo + 1, max: this.maxLineChars });
  }

  finish(): CsvStats {
    if (this.carry.length > 0) this.line(this.carry);
    this.carry = '';
    if (this.sample !== undefined) this.decide();
    if (this.rows === 0) throw new DatasetError('NoRows');
    const numeric = this.columns.filter((c) => c.kind !== 'label');
    if (!numeric.some((c) => c.count > 0)) throw new DatasetError('NoNumericColumns');
    return {
      kind: 'csv',
      delimiter: this.delimiter,
      hasHeader: this.hasHeader,
      rows: this.rows,
      columns: this.columns.map((c): CsvColumnStats => {
        const present = c.count > 0;
        return {
          name: c.name,
          kind: c.kind === 'label' ? 'label' : 'numeric',
          count: c.count,
          missing: c.missing,
          min: present ? c.min : null,
          max: present ? c.max : null,
          mean: present ? c.mean : null,
          std: present ? Math.sqrt(c.m2 / c.count) : null,
        };
      }),
    };
  }

  private line(text: string): void {
    this.lineNo++;
    if (text.length > this.maxLineChars) throw new DatasetError('LineTooLong', { line: this.lineNo, max: this.maxLineChars });
    if (text.trim().length === 0) return;
    if (this.sample !== undefined) {
      this.sample.push({ text, line: this.lineNo });
      if (this.sample.length >= SAMPLE_LINES) this.decide();
      return;
    }
    this.row(text, this.lineNo);
  }

  private decide(): void {
    const sample = this.sample ?? [];
    this.sample = undefined;
    if (sample.length === 0) return;
    this.delimiter = detectDelimiter(sample.map((s) => s.text));
    const first = splitFields(sample[0]!.text, this.delimiter, sample[0]!.line).map((f) => f.trim());
    this.hasHeader = first.some((f) => f.length > 0) && first.every((f) => !NUMBER.test(f) && !MISSING.test(f) && !INFINITE.test(f));
    this.columns = first.map((f, i) => ({
      name: this.hasHeader && f.length > 0 ? f : `column${i + 1}`,
      kind: 'undecided',
      count: 0,
      missing: 0,
      mean: 0,
      m2: 0,
      min: Infinity,
      max: -Infinity,
    }));
    for (const [i, s] of sample.entries()) if (i > 0 || !this.hasHeader) this.row(s.text, s.line);
  }

  private row(text: string, line: number): void {
    const fields = splitFields(text, this.delimiter, line);
    if (fields.length !== this.columns.length) throw new DatasetError('RaggedRow', { line, expected: this.columns.length, found: fields.length });
    const values = this.onRow === undefined ? undefined : new Float64Array(fields.length).fill(NaN);
    for (let j = 0; j < fields.length; j++) {
      const col = this.columns[j]!;
      const cell = fields[j]!.trim();
      if (MISSING.test(cell)) {
        col.missing++;
        continue;
      }
      if (col.kind === 'label') continue;
      if (INFINITE.test(cell)) throw new DatasetError('NonFiniteCell', { line, column: j + 1, name: col.name });
      if (!NUMBER.test(cell)) {
        if (col.kind === 'numeric') throw new DatasetError('NonNumericCell', { line, column: j + 1, name: col.name, cell: cell.slice(0, 40) });
        col.kind = 'label';
        continue;
      }
      const x = Number(cell);
      if (!Number.isFinite(x)) throw new DatasetError('NonFiniteCell', { line, column: j + 1, name: col.name });
      col.kind = 'numeric';
      // Welford's running mean and sum of squared deviations
      col.count++;
      const delta = x - col.mean;
      col.mean += delta / col.count;
      col.m2 += delta * (x - col.mean);
      if (x < col.min) col.min = x;
      if (x > col.max) col.max = x;
      if (values !== undefined) values[j] = x;
    }
    this.rows++;
    this.onRow?.(values!, line);
  }
}

/**
 * Numeric CSV/TSV, read from LF-normalised text in chunks through `csv-parse`.
 *
 * Policy (shown to users, asserted by tests):
 * - Delimiter: tab, `;` or `,`, whichever occurs most often (outside quotes) in the first non-blank
 *   line; ties prefer tab, then `;`. None of them: the file is one column. Decimal separator `.`.
 * - Quotes: RFC 4180 — a field may be wrapped in `"` with `""` for a quote, and may span lines.
 *   Whitespace around fields is trimmed. A quote elsewhere is refused (`MalformedQuote`).
 * - Header: the first row is a header when one of its cells is text (neither a number, a missing
 *   marker nor an ISO date). An empty first header cell (pandas' `to_csv` index column, `,value`)
 *   is named `index` and flagged as the index; other empty names become `columnN`; a repeated
 *   name gets `.1`, `.2` as pandas does. Without a header columns are `column1`, `column2`, ….
 * - Column kind, from its first present cell: a number makes it `numeric`; an ISO date or
 *   datetime (`2020-01-31`, `2020-01-31 12:00`, `2020-01-31T12:00:00Z`, `1959-01`) makes it `time`
 *   while every present cell is one; anything else `label` (kept, not used as a series). The
 *   first time column is reported in `stats.time` with its span, step and order.
 * - Missing: an empty cell or `NA`, `NaN`, `N/A`, `null`, `None`, `?` (any case) is missing,
 *   counted per column and read back as NaN. Statistics use the present values only.
 * - Refused: `inf`/`Infinity` or a number that overflows (`NonFiniteCell`), text in a numeric
 *   column (`NonNumericCell`), a row with a different number of fields (`RaggedRow`), all with
 *   the 1-based line number (a record spanning lines is named by its first line). Blank lines,
 *   and lines holding only `""`, are skipped. A record longer than the line cap is refused (`LineTooLong`), so memory stays bounded.
 *
 * Streaming: text is cut into blocks at line ends outside quotes (even quote count so far) and
 * each block is parsed whole; only an unfinished record is carried to the next chunk.
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { CsvColumnStats, CsvStats, CsvTime } from '../../shared/datasets';
import { DatasetError } from './dataset-error';
import { classifyStep, medianGap, parseIsoTime } from './iso-time';

export type Delimiter = ',' | ';' | '\t' | 'none';

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITE = /^[+-]?(?:inf|infinity)$/i;
const MISSING = /^(?:|nan|na|n\/a|null|none|\?)$/i;
const PREFERENCE: readonly Delimiter[] = ['\t', ';', ','];
/** NUL never reaches the reader (the decoder refuses it as binary), so it stands for "no delimiter". */
const NO_DELIMITER = '\u0000';
/** Time gaps kept for the step estimate. */
const GAP_SAMPLE = 1000;

/** True for the cells read as missing values. */
export const isMissingCell = (cell: string): boolean => MISSING.test(cell);

interface Column {
  name: string;
  index: boolean;
  kind: 'numeric' | 'label' | 'time' | 'undecided';
  count: number;
  missing: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
  time: TimeTrack | undefined;
}

interface TimeTrack {
  first: string;
  last: string;
  lastMs: number;
  gaps: number[];
  disorder: CsvTime['disorder'];
}

/**
 * Receives each data row: numeric cells as numbers, time cells as milliseconds since the epoch
 * (UTC), missing and label cells as NaN; `cells` are the trimmed texts. `values` is reused for the
 * next row: copy what you keep.
 */
export type RowSink = (values: Float64Array, line: number, cells: readonly string[]) => void;

export interface CsvReaderOptions {
  /** A record longer than this (characters) is refused with `LineTooLong` (default 1 Mi). */
  maxLineChars?: number;
  /** Refuse a file without a numeric column (`NoNumericColumns`; default true, as the importer does). */
  requireNumeric?: boolean;
}

/** The delimiter the first line implies: the most frequent of tab, `;`, `,` outside quotes. */
export function detectDelimiter(line: string): Delimiter {
  const counts = new Map<Delimiter, number>(PREFERENCE.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch as Delimiter)) counts.set(ch as Delimiter, counts.get(ch as Delimiter)! + 1);
  }
  let best: Delimiter = 'none';
  let bestCount = 0;
  for (const d of PREFERENCE) {
    if (counts.get(d)! > bestCount) {
      best = d;
      bestCount = counts.get(d)!;
    }
  }
  return best;
}

const isDataCell = (cell: string): boolean => MISSING.test(cell) || NUMBER.test(cell) || INFINITE.test(cell) || parseIsoTime(cell) !== null;

/** Column names from a header row: `index` for pandas' empty index name, `columnN` for other empties, `.1`, `.2` for repeats. */
export function headerNames(cells: readonly string[]): string[] {
  const used = new Set<string>();
  return cells.map((cell, i) => {
    const base = cell.length > 0 ? cell : i === 0 ? 'index' : `column${i + 1}`;
    let name = base;
    for (let k = 1; used.has(name); k++) name = `${base}.${k}`;
    used.add(name);
    return name;
  });
}

export class CsvReader {
  private readonly maxLineChars: number;
  private readonly requireNumeric: boolean;
  /** Text not parsed yet; always starts at a record boundary. */
  private pending = '';
  /** Line number of the first line in `pending`, minus one. */
  private linesBefore = 0;
  /** How much of `pending` has been scanned for quotes and line ends. */
  private scanned = 0;
  private quoted = false;
  private delimiter: Delimiter | undefined;
  private hasHeader = false;
  private columns: Column[] | undefined;
  private rows = 0;
  private rowsWithMissing = 0;
  private rowValues = new Float64Array(0);

  constructor(
    private readonly onRow?: RowSink,
    options: CsvReaderOptions = {},
  ) {
    this.maxLineChars = options.maxLineChars ?? 1 << 20;
    this.requireNumeric = options.requireNumeric ?? true;
  }

  push(text: string): void {
    this.pending += text;
    let cut = -1;
    const s = this.pending;
    let quoted = this.quoted;
    for (let i = this.scanned; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 34) quoted = !quoted; // "
      else if (c === 10 && !quoted) cut = i + 1; // a line end outside quotes ends a record
    }
    this.quoted = quoted;
    this.scanned = s.length;
    if (cut > 0) {
      this.parseBlock(s.slice(0, cut), false);
      this.pending = s.slice(cut);
      this.scanned = this.pending.length;
    }
    if (this.pending.length > this.maxLineChars) {
      if (this.quoted) this.parseBlock(this.pending, true); // reports a misplaced quote at its line, if that is the cause
      throw new DatasetError('LineTooLong', { line: this.linesBefore + 1, max: this.maxLineChars });
    }
  }

  finish(): CsvStats {
    if (this.pending.length > 0) this.parseBlock(this.pending, true);
    this.pending = '';
    if (this.rows === 0) throw new DatasetError('NoRows');
    const columns = this.columns!;
    if (this.requireNumeric && !columns.some((c) => c.kind === 'numeric' && c.count > 0)) throw new DatasetError('NoNumericColumns');
    const timeColumn = columns.find((c) => c.kind === 'time');
    return {
      kind: 'csv',
      delimiter: this.delimiter ?? 'none',
      hasHeader: this.hasHeader,
      rows: this.rows,
      columns: columns.map((c): CsvColumnStats => {
        const present = c.kind === 'numeric' && c.count > 0;
        return {
          name: c.name,
          kind: c.kind === 'undecided' ? 'numeric' : c.kind,
          ...(c.index ? { index: true } : {}),
          count: c.count,
          missing: c.missing,
          min: present ? c.min : null,
          max: present ? c.max : null,
          mean: present ? c.mean : null,
          std: present ? Math.sqrt(c.m2 / c.count) : null,
        };
      }),
      rowsWithMissing: this.rowsWithMissing,
      time: timeColumn === undefined ? null : timeStats(timeColumn.name, timeColumn.time!),
    };
  }

  /** A column's kind so far; `undecided` until its first present cell. */
  kindOf(j: number): Column['kind'] {
    return this.columns?.[j]?.kind ?? 'undecided';
  }

  private parseBlock(block: string, last: boolean): void {
    if (this.delimiter === undefined) {
      const firstLine = block.split('\n').find((l) => l.trim().length > 0);
      if (firstLine === undefined) {
        this.linesBefore += countLines(block, last);
        return;
      }
      this.delimiter = detectDelimiter(firstLine);
    }
    const offset = this.linesBefore;
    let records: string[][];
    try {
      records = parse(block, {
        delimiter: this.delimiter === 'none' ? NO_DELIMITER : this.delimiter,
        relax_column_count: true,
        skip_empty_lines: false, // a blank line comes back as one empty field and keeps the line count
        trim: true,
        max_record_size: this.maxLineChars,
      });
    } catch (e) {
      if (!(e instanceof CsvError)) throw e;
      const at = offset + Number((e as unknown as { lines?: number }).lines ?? 1);
      if (e.code === 'CSV_QUOTE_NOT_CLOSED') throw new DatasetError('UnclosedQuote', { line: this.startOfFailure(block, offset) });
      if (e.code === 'CSV_MAX_RECORD_SIZE') throw new DatasetError('LineTooLong', { line: at, max: this.maxLineChars });
      throw new DatasetError('MalformedQuote', { line: at, reason: e.message.slice(0, 200) });
    }
    // A record spans one line plus one per line break inside its quoted fields (csv-parse's own
    // per-record info would cost 3-4x the parse).
    let line = offset + 1;
    for (const record of records) {
      const start = line;
      line++;
      for (const cell of record) if (cell.includes('\n')) line += cell.split('\n').length - 1;
      if (record.length === 1 && record[0] === '') continue; // a blank line
      if (this.columns === undefined) this.decideHeader(record, start);
      else this.row(record, start);
    }
    this.linesBefore += countLines(block, last);
  }

  /** Line where the unfinished record starts: after the last complete line outside quotes. */
  private startOfFailure(block: string, offset: number): number {
    let quoted = false, line = offset + 1, start = offset + 1;
    let blankSoFar = true;
    for (const ch of block) {
      if (ch === '"') {
        if (!quoted && blankSoFar) start = line;
        quoted = !quoted;
        blankSoFar = false;
      } else if (ch === '\n') {
        line++;
        if (!quoted) blankSoFar = true;
      } else if (!quoted && ch !== ' ' && blankSoFar) {
        start = line;
        blankSoFar = false;
      }
    }
    return start;
  }

  private decideHeader(first: string[], line: number): void {
    this.hasHeader = first.some((cell) => !isDataCell(cell));
    const names = this.hasHeader ? headerNames(first) : first.map((_, i) => `column${i + 1}`);
    this.columns = names.map((name, i) => ({
      name, index: this.hasHeader && i === 0 && first[0] === '', kind: 'undecided', count: 0, missing: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity, time: undefined,
    }));
    if (!this.hasHeader) this.row(first, line);
  }

  private row(fields: string[], line: number): void {
    const columns = this.columns!;
    if (fields.length !== columns.length) throw new DatasetError('RaggedRow', { line, expected: columns.length, found: fields.length });
    if (this.onRow !== undefined && this.rowValues.length !== fields.length) this.rowValues = new Float64Array(fields.length);
    const values = this.onRow === undefined ? undefined : this.rowValues.fill(NaN);
    const row = this.rows + 1;
    let gap = false;
    for (let j = 0; j < fields.length; j++) {
      const col = columns[j]!;
      const cell = fields[j]!;
      if (MISSING.test(cell)) {
        col.missing++;
        if (col.kind !== 'label' && col.kind !== 'time') gap = true;
        continue;
      }
      if (col.kind === 'label') continue;
      if (col.kind === 'undecided' || col.kind === 'time') {
        const ms = parseIsoTime(cell);
        if (ms !== null) {
          if (col.kind === 'undecided') col.kind = 'time';
          col.count++;
          trackTime(col, cell, ms, row, line);
          if (values !== undefined) values[j] = ms;
          continue;
        }
        if (col.kind === 'time') {
          col.kind = 'label'; // a cell that is not a date: the column is text after all
          col.time = undefined;
          col.count = 0;
          continue;
        }
      }
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
    if (gap) this.rowsWithMissing++;
    this.onRow?.(values!, line, fields);
  }
}

function trackTime(col: Column, cell: string, ms: number, row: number, line: number): void {
  const t = col.time;
  if (t === undefined) {
    col.time = { first: cell, last: cell, lastMs: ms, gaps: [], disorder: undefined };
    return;
  }
  if (ms <= t.lastMs && t.disorder === undefined) t.disorder = { row, line, previous: t.last, value: cell };
  if (t.gaps.length < GAP_SAMPLE) t.gaps.push(ms - t.lastMs);
  t.last = cell;
  t.lastMs = ms;
}

function timeStats(column: string, t: TimeTrack): CsvTime {
  const gap = medianGap(t.gaps);
  const { step, seasonalPeriod } = gap > 0 ? classifyStep(gap) : { step: 'irregular' as const, seasonalPeriod: null };
  return { column, first: t.first, last: t.last, step, seasonalPeriod, increasing: t.disorder === undefined, ...(t.disorder ? { disorder: t.disorder } : {}) };
}

/** Lines a block spans: its line ends, plus one for an unterminated last line. */
function countLines(block: string, last: boolean): number {
  let n = 0;
  for (let i = block.indexOf('\n'); i >= 0; i = block.indexOf('\n', i + 1)) n++;
  return n + (last && block.length > 0 && !block.endsWith('\n') ? 1 : 0);
}

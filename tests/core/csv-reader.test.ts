import { describe, expect, it } from 'vitest';
import { CsvReader, detectDelimiter, headerNames } from '../../src/core/datasets/csv-reader';
import { classifyStep, parseIsoTime } from '../../src/core/datasets/iso-time';
import { CsvTableBuilder, importDataset, readCsvTable } from '../../src/core/datasets';
import { PROJECT, memoryProject } from './helpers';

/** Reads `text` in pieces of `chunk` characters; returns the stats and the rows handed to the sink. */
function read(text: string, chunk = text.length || 1) {
  const rows: { values: number[]; line: number; cells: readonly string[] }[] = [];
  const reader = new CsvReader((values, line, cells) => rows.push({ values: Array.from(values), line, cells }), { requireNumeric: false });
  for (let i = 0; i < text.length; i += chunk) reader.push(text.slice(i, i + chunk));
  return { stats: reader.finish(), rows };
}

function refusal(text: string, chunk?: number): { code: string; details: Record<string, unknown> } {
  try {
    read(text, chunk);
  } catch (e) {
    return e as { code: string; details: Record<string, unknown> };
  }
  throw new Error('not refused');
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('CSV parsing through csv-parse', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks inside, naming rows by their first line', () => {
    const { stats, rows } = read('name,"a, b","c ""d"""\n"x\ny",1,"2.5"\nz,3,4\n');
    expect(stats.columns.map((c) => [c.name, c.kind])).toEqual([['name', 'label'], ['a, b', 'numeric'], ['c "d"', 'numeric']]);
    expect(rows.map((r) => [r.cells, r.line])).toEqual([[['x\ny', '1', '2.5'], 2], [['z', '3', '4'], 4]]);
    expect(read('a,b\n"1\n\n\n",2\n\n3,4\n').rows.map((r) => r.line)).toEqual([2, 7]);
    expect(rows[0]!.values.slice(1)).toEqual([1, 2.5]);
  });

  it('gives the same rows and statistics whatever the chunking, also when a quoted line break or a quote pair is cut', () => {
    const text = 'when,"note",v\n2020-01-01,"a ""q"" b\nsecond line",1\n2020-01-02,"",2\n\n2020-01-03,"x,y",NA\n2020-01-04,plain,4';
    const whole = read(text);
    expect(whole.stats.rows).toBe(4);
    for (const chunk of [1, 2, 3, 5, 7, 11]) expect(read(text, chunk)).toEqual(whole);
  });

  it('detects tab, semicolon and comma from the header line, and a single column when there is none', () => {
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a,b;c,d')).toBe(',');
    expect(detectDelimiter('"x;y",b,c')).toBe(','); // delimiters inside quotes do not count
    expect(detectDelimiter('a;b,c')).toBe(';'); // a tie prefers the semicolon
    expect(detectDelimiter('value')).toBe('none');
    const tsv = read('t\tx\ty\n1\t\t2\n2\t3.5\t\n');
    expect(tsv.stats).toMatchObject({ delimiter: '\t', rows: 2, rowsWithMissing: 2 });
    expect(tsv.stats.columns.map((c) => [c.name, c.count, c.missing])).toEqual([['t', 2, 0], ['x', 1, 1], ['y', 1, 1]]);
    const single = read('value\n1\n\n2\n');
    expect(single.stats).toMatchObject({ delimiter: 'none', rows: 2, columns: [{ name: 'value', count: 2 }] });
  });

  it("reads pandas' to_csv header: the empty first name is the index column, not a plain feature", () => {
    const { stats } = read(',value\n0,1.5\n1,2.5\n2,3.5\n');
    expect(stats.hasHeader).toBe(true);
    expect(stats.columns.map((c) => [c.name, c.kind, c.index ?? false, c.count])).toEqual([['index', 'numeric', true, 3], ['value', 'numeric', false, 3]]);
    const dated = read(',value\n2020-01-01,1\n2020-01-02,2\n');
    expect(dated.stats.columns[0]).toMatchObject({ name: 'index', kind: 'time', index: true });
    expect(dated.stats.time).toMatchObject({ column: 'index', step: 'daily' });
  });

  it('names empty and repeated header cells as pandas does', () => {
    expect(headerNames(['', 'a', '', 'a', 'a', 'a.1'])).toEqual(['index', 'a', 'column3', 'a.1', 'a.2', 'a.1.1']);
    expect(read('a,a,b\n1,2,3\n').stats.columns.map((c) => c.name)).toEqual(['a', 'a.1', 'b']);
  });

  it('takes the first row as a header only when a cell is text, not when it holds numbers, dates or missing markers', () => {
    expect(read('2020-01-01,5\n2020-01-02,6\n').stats).toMatchObject({ hasHeader: false, rows: 2, columns: [{ name: 'column1', kind: 'time' }, { name: 'column2', kind: 'numeric' }] });
    expect(read('1,NA\n2,3\n').stats).toMatchObject({ hasHeader: false, rows: 2 });
    expect(read('date,1\n2020-01-01,2\n').stats).toMatchObject({ hasHeader: true, rows: 1 });
  });

  it('counts empty, NA, NaN, null and ? as missing, not as text in a numeric column', () => {
    const { stats, rows } = read('x\n1\n\nNA\nnan\nNULL\n?\nN/A\nNone\n2\n');
    // the blank line is skipped
    expect(stats.columns[0]).toMatchObject({ kind: 'numeric', count: 2, missing: 6, mean: 1.5 });
    expect(stats.rows).toBe(8);
    expect(rows.map((r) => r.values[0])).toEqual([1, NaN, NaN, NaN, NaN, NaN, NaN, 2]);
    expect(read('x,y\n"",1\n2,\n').stats.columns.map((c) => [c.count, c.missing])).toEqual([[1, 1], [1, 1]]);
  });

  it('refuses a misplaced quote, an unclosed quote and a ragged row with the line', () => {
    expect(refusal('a,b\n1,2\n3,x"y\n4,5\n')).toMatchObject({ code: 'MalformedQuote', details: { line: 3 } });
    expect(refusal('a,b\n1,2\n"3"x,4\n')).toMatchObject({ code: 'MalformedQuote', details: { line: 3 } });
    expect(refusal('a,b\n1,2\n\n"3,4\n5,6\n')).toMatchObject({ code: 'UnclosedQuote', details: { line: 4 } });
    expect(refusal('a,b\n1,2\n3,4,5\n', 3)).toMatchObject({ code: 'RaggedRow', details: { line: 3, expected: 2, found: 3 } });
  });

  it('refuses a quoted field that never closes once it passes the line cap, keeping memory bounded', () => {
    const reader = new CsvReader(undefined, { maxLineChars: 64 });
    reader.push('a,b\n1,"');
    let error: unknown;
    try {
      for (let i = 0; i < 10; i++) reader.push('x'.repeat(20));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'LineTooLong', details: { line: 2, max: 64 } });
  });
});

describe('time columns', () => {
  it('parses ISO dates, datetimes and year-months as UTC, and rejects impossible ones', () => {
    expect(parseIsoTime('2020-01-31')).toBe(Date.UTC(2020, 0, 31));
    expect(parseIsoTime('2020-01-31 12:00')).toBe(Date.UTC(2020, 0, 31, 12));
    expect(parseIsoTime('2020-01-31T12:00:00Z')).toBe(Date.UTC(2020, 0, 31, 12));
    expect(parseIsoTime('2020-01-31T12:00:00.250+02:00')).toBe(Date.UTC(2020, 0, 31, 10, 0, 0, 250));
    expect(parseIsoTime('1959-01')).toBe(Date.UTC(1959, 0, 1));
    expect(parseIsoTime('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseIsoTime('1974Q3')).toBe(Date.UTC(1974, 6, 1)); // pandas' quarter periods
    expect(parseIsoTime('1974-Q4')).toBe(Date.UTC(1974, 9, 1));
    expect(parseIsoTime('0050-03-01 06:00')).toBe(new Date(0).setUTCFullYear(50, 2, 1) + 6 * 3_600_000);
    for (const bad of ['2021-02-29', '1900-02-29', '2020-04-31', '2020-13-01', '2020-01-31 24:00', '2020-1-5', '20200131', '1959', 'Jan 1959', '2020-01-31T12', '1974Q5', '1974Q0']) expect(parseIsoTime(bad), bad).toBeNull();
  });

  it.each([
    ['hourly', ['2020-01-01 00:00', '2020-01-01 01:00', '2020-01-01 02:00'], 24],
    ['daily', ['2020-03-28', '2020-03-29', '2020-03-30'], 7],
    ['weekly', ['2020-01-06', '2020-01-13', '2020-01-20'], 52],
    ['monthly', ['1959-01', '1959-02', '1959-03', '1959-04'], 12],
    ['quarterly', ['2019-01-01', '2019-04-01', '2019-07-01', '2019-10-01'], 4],
    ['quarterly', ['1974Q1', '1974Q2', '1974Q3', '1974Q4', '1975Q1'], 4],
    ['yearly', ['2019-01-01', '2020-01-01', '2021-01-01'], 1],
  ] as const)('infers a %s step and its seasonal period', (step, times, period) => {
    const { stats } = read(['when,y', ...times.map((t, i) => `${t},${i}`)].join('\n'));
    expect(stats.columns[0]!.kind).toBe('time');
    expect(stats.time).toEqual({ column: 'when', first: times[0], last: times.at(-1), step, seasonalPeriod: period, increasing: true });
  });

  it('calls uneven gaps irregular, and the median gap decides despite a missing day', () => {
    expect(classifyStep(5 * 60_000)).toEqual({ step: 'irregular', seasonalPeriod: null });
    expect(read('d,y\n2020-01-01,1\n2020-01-02,2\n2020-01-04,3\n2020-01-05,4\n').stats.time?.step).toBe('daily');
  });

  it('records where the times stop increasing, naming the row, the line and both values', () => {
    const { stats } = read('d,y\n2020-01-01,1\n2020-01-03,2\n\n2020-01-02,3\n2020-01-04,4\n');
    expect(stats.time).toMatchObject({ increasing: false, disorder: { row: 3, line: 5, previous: '2020-01-03', value: '2020-01-02' } });
  });

  it('hands time cells to the sink as milliseconds; a column with a non-date cell is a label after all', () => {
    const { stats, rows } = read('d,e,y\n2020-01-01,2020-01-01,1\n2020-01-02,soon,2\n');
    expect(stats.columns.map((c) => c.kind)).toEqual(['time', 'label', 'numeric']);
    expect(stats.time?.column).toBe('d');
    expect(rows[1]!.values[0]).toBe(Date.UTC(2020, 0, 2));
  });
});

describe('CsvTableBuilder', () => {
  it('collects thousands of rows column by column, keeping texts only for time columns, aligned from the first row', () => {
    const day = (i: number) => new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10);
    const lines = ['d,e,x', ...Array.from({ length: 3000 }, (_, i) => `${i < 5 ? '' : day(i)},${i === 2000 ? 'later' : day(i)},${i % 10 === 0 ? 'NA' : i / 2}`)];
    const b = new CsvTableBuilder();
    for (let i = 0; i < lines.length; i += 100) b.reader.push(lines.slice(i, i + 100).join('\n') + '\n');
    const table = b.finish();
    expect(table.stats.columns.map((c) => c.kind)).toEqual(['time', 'label', 'numeric']);
    expect([...table.columns.keys()]).toEqual(['d', 'x']);
    expect([...table.times.keys()]).toEqual(['d']);
    const d = table.times.get('d')!;
    expect(d).toHaveLength(3000);
    expect(d.slice(0, 6)).toEqual(['', '', '', '', '', day(5)]);
    expect(d[2999]).toBe(day(2999));
    expect(table.columns.get('d')![2999]).toBe(Date.UTC(2000, 0, 3000));
    expect(Array.from(table.columns.get('x')!)).toEqual(Array.from({ length: 3000 }, (_, i) => (i % 10 === 0 ? NaN : i / 2)));
    expect(table.lines).toEqual(Array.from({ length: 3000 }, (_, i) => i + 2));
  });
});

describe('CSV import and read-back', () => {
  it('imports a BOM, CRLF, semicolon file with dates and missing cells; reading it back gives the same table as reading the text', async () => {
    const text = 'date;load;temp\r\n2020-01-01;1.5;?\r\n2020-01-02;NA;3\r\n2020-01-03;2.5;4\r\n';
    const fs = await memoryProject();
    fs.seedFile('/in/w.csv', new Uint8Array([0xef, 0xbb, 0xbf, ...enc(text)]));
    const record = await importDataset(fs, PROJECT, '/in/w.csv');
    expect(record.source.encoding).toBe('utf-8-bom');
    if (record.stats.kind !== 'csv') throw new Error('kind');
    expect(record.stats).toMatchObject({ delimiter: ';', hasHeader: true, rows: 3, rowsWithMissing: 2, time: { column: 'date', step: 'daily' } });
    expect(record.stats.columns.map((c) => [c.name, c.kind, c.missing])).toEqual([['date', 'time', 0], ['load', 'numeric', 1], ['temp', 'numeric', 1]]);
    const table = await readCsvTable(fs, PROJECT, record);
    const builder = new CsvTableBuilder();
    builder.reader.push(text.replaceAll('\r\n', '\n'));
    expect(table).toEqual(builder.finish());
    expect(Array.from(table.columns.get('load')!)).toEqual([1.5, NaN, 2.5]);
    expect(table.times.get('date')).toEqual(['2020-01-01', '2020-01-02', '2020-01-03']);
    expect(table.lines).toEqual([2, 3, 4]);
  });

  it('leaves the project folder byte-identical when an import is refused, the first one included', async () => {
    const fs = await memoryProject();
    const empty = fs.snapshot(PROJECT);
    fs.seedFile('/in/bad.csv', 'a,b\n1,2\n3\n');
    await expect(importDataset(fs, PROJECT, '/in/bad.csv')).rejects.toMatchObject({ code: 'RaggedRow' });
    expect(fs.snapshot(PROJECT)).toEqual(empty);
    fs.seedFile('/in/ok.csv', 'x\n1\n2\n');
    await importDataset(fs, PROJECT, '/in/ok.csv');
    const before = fs.snapshot(PROJECT);
    for (const [name, body] of [['q.csv', 'a,b\n1,2\n3,x"y\n'], ['r.csv', 'a,b\n1,2\n3\n'], ['l.csv', 'name\nann\n'], ['n.csv', 'x\n1\nabc\n']]) {
      fs.seedFile(`/in/${name}`, body!);
      await expect(importDataset(fs, PROJECT, `/in/${name}`)).rejects.toMatchObject({ name: 'DatasetError' });
      expect(fs.snapshot(PROJECT)).toEqual(before);
    }
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importDataset, readCsvColumns, readDatasetText } from '../../src/core/datasets';
import { SourceDecoder } from '../../src/core/datasets/source-decoder';
import { listDatasets, deleteDataset, renameDataset } from '../../src/core/store/datasets';
import { openProject } from '../../src/core/store/project';
import { countTokens, tokenize, unigramPerplexity, unkRate } from '../../src/engine/text';
import { PROJECT, codeOf, memoryProject } from './helpers';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...parts: (number[] | string)[]): Uint8Array => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...enc(p)] : p)));
function utf16(s: string, be: boolean): Uint8Array {
  const out = new Uint8Array(2 + s.length * 2);
  out.set(be ? [0xfe, 0xff] : [0xff, 0xfe]);
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    out[2 + 2 * i + (be ? 0 : 1)] = u >> 8;
    out[2 + 2 * i + (be ? 1 : 0)] = u & 0xff;
  }
  return out;
}

async function importBytes(name: string, data: Uint8Array, options = {}) {
  const fs = await memoryProject();
  fs.seedFile(`/in/${name}`, data);
  return { fs, record: await importDataset(fs, PROJECT, `/in/${name}`, options) };
}

describe('text import', () => {
  it('copies the source byte for byte and records size, sha256 and statistics', async () => {
    const text = 'the time machine\r\nby h g wells\r\n\r\nthe time traveller';
    const data = bytes([0xef, 0xbb, 0xbf], text);
    const { fs, record } = await importBytes('tm.txt', data, { minFreq: 2, name: 'Time machine' });
    expect(await fs.readFile(`${PROJECT}/datasets/${record.id}/source.txt`)).toEqual(data);
    expect(record.source).toMatchObject({ file: 'source.txt', bytes: data.length, encoding: 'utf-8-bom', sha256: createHash('sha256').update(data).digest('hex') });
    const normal = text.replaceAll('\r\n', '\n');
    const words = countTokens(tokenize(normal, 'word'));
    expect(record.stats).toMatchObject({ kind: 'text', characters: normal.length, lines: 4, newline: 'crlf' });
    if (record.stats.kind !== 'text') throw new Error('kind');
    expect(record.stats.word).toMatchObject({ tokens: 10, distinct: words.size, unkRate: unkRate(words, 2), vocabSize: 3 });
    expect(record.stats.word.unigramPerplexity).toBeCloseTo(unigramPerplexity(words, 2), 12);
    // min_freq 2 keeps "the" and "time"; the other six words are one <unk> of count 6
    expect(record.stats.word.unigramPerplexity).toBeCloseTo(Math.exp(-(2 * 0.2 * Math.log(0.2) + 0.6 * Math.log(0.6))), 12);
    expect(record.stats.word.top.slice(0, 2)).toEqual([['the', 2], ['time', 2]]);
    expect(record.stats.char.tokens).toBe(normal.length);
    expect(await readDatasetText(fs, PROJECT, record)).toBe(normal);
    expect((await openProject(fs, PROJECT)).datasets.map((d) => d.name)).toEqual(['Time machine']);
  });

  it('decodes UTF-16 LE and BE with a BOM to the same text and statistics as UTF-8', async () => {
    const text = 'héllo wörld 😀\nsecond line\rthird';
    const base = (await importBytes('a.txt', enc(text))).record;
    for (const be of [false, true]) {
      const { fs, record } = await importBytes('b.txt', utf16(text, be));
      expect(record.source.encoding).toBe(be ? 'utf-16be' : 'utf-16le');
      expect(record.stats).toEqual(base.stats);
      expect(await readDatasetText(fs, PROJECT, record)).toBe(text.replace('\r', '\n'));
    }
    expect(base.stats).toMatchObject({ characters: [...text].length, lines: 3, newline: 'mixed' });
  });

  it('gives the same statistics whatever the chunk size (multi-byte characters and CRLF split across chunks)', async () => {
    const text = 'ab€\r\n😀 x\r\rß\n'.repeat(5);
    for (const data of [enc(text), utf16(text, false), utf16(text, true)]) {
      const whole = (await importBytes('t.txt', data)).record.stats;
      for (const chunkBytes of [1, 2, 3, 5, 7]) expect((await importBytes('t.txt', data, { chunkBytes })).record.stats).toEqual(whole);
    }
  });

  it('applies letters cleaning before counting when asked', async () => {
    const { record } = await importBytes('t.txt', enc('The Time, the MACHINE!'), { cleaning: 'letters' });
    if (record.stats.kind !== 'text') throw new Error('kind');
    expect(record.stats.word.top).toEqual([['the', 2], ['time', 1], ['machine', 1]]);
    expect(record.stats.characters).toBe(22);
  });

  it('renames and deletes datasets', async () => {
    const { fs, record } = await importBytes('t.txt', enc('abc'));
    expect((await renameDataset(fs, PROJECT, record.id, 'new name')).name).toBe('new name');
    await deleteDataset(fs, PROJECT, record.id);
    expect((await listDatasets(fs, PROJECT)).datasets).toEqual([]);
  });

  it('reports a damaged dataset and still lists the others', async () => {
    const { fs, record } = await importBytes('t.txt', enc('abc'));
    fs.seedFile('/in/u.txt', 'def');
    const other = await importDataset(fs, PROJECT, '/in/u.txt');
    fs.seedFile(`${PROJECT}/datasets/${record.id}/source.txt`, 'abcd');
    const opened = await openProject(fs, PROJECT);
    expect(opened.datasets.map((d) => d.id)).toEqual([other.id]);
    expect(opened.problems.map((p) => [p.kind, p.id, p.code])).toEqual([['dataset', record.id, 'CorruptDataset']]);
  });
});

describe('CSV import', () => {
  it('detects a header, the delimiter, a time column and missing cells', async () => {
    const csv = 'date;temp;rain\r\n2020-01-01;1.5;\r\n2020-01-02;-2;NaN\r\n\r\n2020-01-03;3.5e0;4\r\n';
    const { fs, record } = await importBytes('w.csv', enc(csv));
    expect(record.kind).toBe('csv');
    expect(record.stats).toMatchObject({ kind: 'csv', delimiter: ';', hasHeader: true, rows: 3, rowsWithMissing: 2 });
    expect(record.stats).toMatchObject({ time: { column: 'date', first: '2020-01-01', last: '2020-01-03', step: 'daily', seasonalPeriod: 7, increasing: true } });
    if (record.stats.kind !== 'csv') throw new Error('kind');
    expect(record.stats.columns.map((c) => [c.name, c.kind, c.count, c.missing, c.min, c.max])).toEqual([
      ['date', 'time', 3, 0, null, null],
      ['temp', 'numeric', 3, 0, -2, 3.5],
      ['rain', 'numeric', 1, 2, 4, 4],
    ]);
    expect(record.stats.columns[1]!.mean).toBeCloseTo(1, 12);
    expect(record.stats.columns[1]!.std).toBeCloseTo(Math.sqrt((0.25 + 9 + 6.25) / 3), 12);
    const cols = await readCsvColumns(fs, PROJECT, record);
    expect([...cols.keys()]).toEqual(['temp', 'rain']);
    expect(Array.from(cols.get('rain')!)).toEqual([NaN, NaN, 4]);
  });

  it('reads headerless tab-separated, comma-separated with quotes, and single-column files', async () => {
    const tab = (await importBytes('a.tsv', enc('1\t2\n3\t4\n'))).record.stats;
    expect(tab).toMatchObject({ delimiter: '\t', hasHeader: false, rows: 2, columns: [{ name: 'column1' }, { name: 'column2' }] });
    const quoted = (await importBytes('b.csv', enc('"a, b","c ""d"""\n"1",2\n'))).record.stats;
    expect(quoted).toMatchObject({ delimiter: ',', hasHeader: true, columns: [{ name: 'a, b', count: 1 }, { name: 'c "d"', count: 1 }] });
    const single = (await importBytes('c.csv', enc('value\n1\n2\n3'))).record.stats;
    expect(single).toMatchObject({ delimiter: 'none', hasHeader: true, rows: 3, columns: [{ name: 'value', mean: 2 }] });
  });
});

describe('import refusals', () => {
  const cases: [string, string, Uint8Array, string, Record<string, unknown>?, object?][] = [
    ['an empty file', 'e.txt', new Uint8Array(0), 'Empty'],
    ['a file holding only a BOM', 'b.txt', bytes([0xef, 0xbb, 0xbf]), 'Empty'],
    ['a file over the size cap', 'big.txt', enc('x'.repeat(101)), 'TooLarge', { bytes: 101, maxBytes: 100 }, { maxBytes: 100 }],
    ['a file with a NUL byte', 'n.txt', bytes('ab', [0], 'cd'), 'Binary', { byteOffset: 2 }],
    ['a PNG image', 'i.png', bytes([0x89], 'PNG\r\n', [0x1a, 0x0a, 0, 0, 0, 13]), 'Binary'],
    ['text with many control characters', 'c.txt', bytes('abcdefgh', [1, 2, 3, 4, 5, 6, 7, 8], 'ijkl'), 'Binary'],
    ['an invalid UTF-8 byte', 'u.txt', bytes('abc', [0xff], 'd'), 'InvalidUtf8', { byteOffset: 3 }],
    ['an overlong UTF-8 form', 'o.txt', bytes('ab', [0xc0, 0x80]), 'InvalidUtf8', { byteOffset: 2 }],
    ['a UTF-8 encoded surrogate', 's.txt', bytes('a', [0xed, 0xa0, 0x80]), 'InvalidUtf8', { byteOffset: 1 }],
    ['a code point above U+10FFFF', 'h.txt', bytes([0xf4, 0x90, 0x80, 0x80]), 'InvalidUtf8', { byteOffset: 0 }],
    ['a stray continuation byte after a BOM', 'k.txt', bytes([0xef, 0xbb, 0xbf], 'ab', [0x80]), 'InvalidUtf8', { byteOffset: 5 }],
    ['a UTF-8 sequence cut off at the end', 't.txt', bytes('abc', [0xe2, 0x82]), 'InvalidUtf8', { byteOffset: 3 }],
    ['UTF-16 with an odd number of bytes', 'w.txt', bytes([0xff, 0xfe, 0x61, 0, 0x62]), 'InvalidUtf16', { byteOffset: 4 }],
    ['UTF-16 with an unpaired high surrogate', 'x.txt', bytes([0xff, 0xfe, 0x3d, 0xd8, 0x61, 0]), 'InvalidUtf16', { byteOffset: 2 }],
    ['UTF-16 with a lone low surrogate', 'y.txt', bytes([0xfe, 0xff, 0, 0x61, 0xde, 0]), 'InvalidUtf16', { byteOffset: 4 }],
    ['UTF-16 without a BOM', 'z.txt', bytes([0x61, 0, 0x62, 0]), 'Binary'],
    ['a ragged CSV row', 'r.csv', enc('a,b\n1,2\n3,4\n5\n'), 'RaggedRow', { line: 4, expected: 2, found: 1 }],
    ['text in a numeric CSV column', 'n.csv', enc('a,b\n1,2\n3,x\n'), 'NonNumericCell', { line: 3, column: 2 }],
    ['an infinite CSV cell', 'i.csv', enc('a\n1\n-Infinity\n'), 'NonFiniteCell', { line: 3, column: 1 }],
    ['a CSV number that overflows', 'v.csv', enc('a\n1e999\n'), 'NonFiniteCell', { line: 2 }],
    ['an unclosed CSV quote', 'q.csv', enc('a,b\n"1,2\n'), 'UnclosedQuote', { line: 2 }],
    ['a CSV with only a header', 'h.csv', enc('a,b\n'), 'NoRows'],
    ['a CSV with no numeric column', 'l.csv', enc('name,city\nann,oslo\n'), 'NoNumericColumns'],
    ['a CSV line longer than the cap', 'long.csv', enc('1'.repeat((1 << 20) + 10)), 'LineTooLong'],
  ];
  it.each(cases)('refuses %s with its code and leaves no dataset behind', async (_t, name, data, code, details, options) => {
    const fs = await memoryProject();
    fs.seedFile(`/in/${name}`, data);
    let error: unknown;
    try {
      await importDataset(fs, PROJECT, `/in/${name}`, options ?? {});
    } catch (e) {
      error = e;
    }
    expect((error as { name?: string }).name).toBe('DatasetError');
    expect((error as { code: string }).code).toBe(code);
    if (details) expect((error as { details: unknown }).details).toMatchObject(details);
    expect((await fs.stat(`${PROJECT}/datasets`)) === undefined || (await fs.readdir(`${PROJECT}/datasets`)).length === 0).toBe(true);
  });

  it('refuses a missing file and a folder', async () => {
    const fs = await memoryProject();
    fs.seedDir('/in/folder');
    expect(await codeOf(importDataset(fs, PROJECT, '/in/missing.txt'))).toBe('NotFound');
    expect(await codeOf(importDataset(fs, PROJECT, '/in/folder'))).toBe('NotAFile');
  });

  it('validates UTF-8 exactly like a fatal TextDecoder on random bytes', () => {
    let seed = 1;
    const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    for (let trial = 0; trial < 2000; trial++) {
      const data = new Uint8Array(1 + (trial % 9)).map(() => next() | 1); // no NUL
      let expected = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(data);
      } catch {
        expected = false;
      }
      let ok = true;
      try {
        const d = new SourceDecoder(() => {});
        d.push(data);
        d.end();
      } catch (e) {
        if ((e as { code?: string }).code !== 'InvalidUtf8' && (e as { code?: string }).code !== 'Binary') throw e;
        ok = (e as { code?: string }).code === 'Binary';
      }
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) continue; // BOM is stripped first
      expect(ok, Array.from(data).join(',')).toBe(expected);
    }
  });
});

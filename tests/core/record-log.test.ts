import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../src/core/fs/memory-file-system';
import { LOG_MAGIC, encodeFrame } from '../../src/core/store/log-frame';
import { LogWriter, readLog } from '../../src/core/store/record-log';
import { codeOf } from './helpers';

const LOG = '/p/metrics.log';
const records = Array.from({ length: 12 }, (_, i) => ({ step: i, kind: i % 3 ? 'train' : 'val', loss: 2 / (i + 1), perplexity: Math.exp(2 / (i + 1)) }));

async function written(): Promise<{ fs: MemoryFileSystem; bytes: Uint8Array }> {
  const fs = new MemoryFileSystem();
  fs.seedDir('/p');
  const w = await LogWriter.open(fs, LOG);
  await w.append(records.slice(0, 5));
  await w.append(records.slice(5));
  await w.close();
  return { fs, bytes: await fs.readFile(LOG) };
}

describe('framed record log', () => {
  it('reads back what was appended, in order, across appends', async () => {
    const { fs } = await written();
    const read = await readLog(fs, LOG);
    expect(read.records).toEqual(records);
    expect(read.problems).toEqual([]);
    expect(read.tornBytes).toBe(0);
  });

  it('keeps NaN and Infinity (a diverged loss) in records', async () => {
    const fs = new MemoryFileSystem();
    fs.seedDir('/p');
    const w = await LogWriter.open(fs, LOG);
    await w.append([{ loss: NaN, perplexity: Infinity }]);
    expect((await readLog(fs, LOG)).records).toEqual([{ loss: NaN, perplexity: Infinity }]);
  });

  it('reads only new records when given the previous end offset', async () => {
    const { fs } = await written();
    const first = await readLog(fs, LOG);
    const w = await LogWriter.open(fs, LOG);
    await w.append([{ step: 99 }]);
    const next = await readLog(fs, LOG, first.endOffset);
    expect(next.records).toEqual([{ step: 99 }]);
  });

  it('reads a log truncated at every byte offset as a prefix of its records, silently', async () => {
    const { bytes } = await written();
    for (let k = 0; k <= bytes.length; k++) {
      const fs = new MemoryFileSystem();
      fs.seedFile(LOG, bytes.subarray(0, k));
      const read = await readLog(fs, LOG);
      expect(read.problems, `cut at ${k}`).toEqual([]);
      expect(read.records, `cut at ${k}`).toEqual(records.slice(0, read.records.length));
      expect(read.endOffset + read.tornBytes).toBe(Math.max(k, read.endOffset));
    }
  });

  it('reports a corrupt record in the middle and still reads the records after it', async () => {
    const { bytes } = await written();
    for (const victim of [0, 4, 7]) {
      // find the start of frame `victim`
      let pos = LOG_MAGIC.length;
      for (let i = 0; i < victim; i++) pos += 8 + new DataView(bytes.buffer).getUint32(pos, true);
      for (const delta of [0, 2, 4, 9]) {
        const fs = new MemoryFileSystem();
        fs.seedFile(LOG, bytes);
        fs.flipBit(LOG, (pos + delta) * 8 + 3);
        const read = await readLog(fs, LOG);
        expect(read.problems.map((p) => [p.code, p.offset]), `frame ${victim} byte ${delta}`).toEqual([['CorruptRecord', pos]]);
        expect(read.records).toEqual(records.filter((_, i) => i !== victim));
      }
    }
  });

  it('drops a damaged last record as a torn tail', async () => {
    const { bytes } = await written();
    const fs = new MemoryFileSystem();
    fs.seedFile(LOG, bytes);
    fs.flipBit(LOG, (bytes.length - 2) * 8);
    const read = await readLog(fs, LOG);
    expect(read.problems).toEqual([]);
    expect(read.records).toEqual(records.slice(0, -1));
    expect(read.tornBytes).toBeGreaterThan(0);
  });

  it('reports a record whose checksum holds but whose payload is not JSON', async () => {
    const fs = new MemoryFileSystem();
    const bad = encodeFrame(new TextEncoder().encode('{nope'));
    const good = encodeFrame(new TextEncoder().encode('{"a":1}'));
    const file = new Uint8Array([...LOG_MAGIC, ...bad, ...good]);
    fs.seedFile(LOG, file);
    const read = await readLog(fs, LOG);
    expect(read.records).toEqual([{ a: 1 }]);
    expect(read.problems).toEqual([{ code: 'CorruptRecord', offset: 8, length: bad.length }]);
  });

  it('refuses a file that is not a log, and reads a missing one as empty', async () => {
    const fs = new MemoryFileSystem();
    fs.seedFile(LOG, 'hello world');
    expect(await codeOf(readLog(fs, LOG))).toBe('CorruptLog');
    expect((await readLog(fs, '/p/none.log')).records).toEqual([]);
  });

  it('truncates a torn tail before appending so new records do not follow garbage', async () => {
    const { bytes } = await written();
    const fs = new MemoryFileSystem();
    fs.seedFile(LOG, bytes.subarray(0, bytes.length - 5));
    const w = await LogWriter.open(fs, LOG);
    await w.append([{ step: 100 }]);
    const read = await readLog(fs, LOG);
    expect(read.problems).toEqual([]);
    expect(read.records).toEqual([...records.slice(0, -1), { step: 100 }]);
  });

  it('leaves a valid prefix when an append is torn by a crash', async () => {
    for (let n = 0; n < 12; n++) {
      const fs = new MemoryFileSystem();
      fs.seedDir('/p');
      fs.setFaults({ crashAfter: n, tornWrites: true });
      try {
        const w = await LogWriter.open(fs, LOG);
        for (const r of records) await w.append([r]);
      } catch (e) {
        expect((e as { code?: string }).code).toBe('Crashed');
      }
      for (const mode of ['keep-all', 'lose-unsynced'] as const) {
        const read = await readLog(fs.afterCrash(mode), LOG);
        expect(read.problems).toEqual([]);
        expect(read.records).toEqual(records.slice(0, read.records.length));
      }
    }
  });

  it('refuses a record larger than the frame limit', async () => {
    const fs = new MemoryFileSystem();
    fs.seedDir('/p');
    const w = await LogWriter.open(fs, LOG);
    expect(await codeOf(w.append([{ text: 'x'.repeat(2 << 20) }]))).toBe('RecordTooLarge');
  });
});

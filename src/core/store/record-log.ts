/**
 * Reading and appending the framed logs of a run (metrics.log, samples.log; see log-frame.ts).
 * Records are JSON objects; non-finite numbers (a diverged loss) survive via tagged JSON.
 */
import { parseTagged, stringifyTagged } from '../../engine/formats/tagged-json';
import { FsError, type FileSystem, type WriteHandle } from '../fs/file-system';
import { readRange } from '../fs/fs-utils';
import { dirname } from 'node:path';
import { LOG_MAGIC, MAX_RECORD_BYTES, encodeFrame, scanFrames } from './log-frame';
import { StoreError } from './store-error';

export interface LogProblem {
  code: 'CorruptRecord';
  offset: number;
  length: number;
}

export interface LogRead {
  records: unknown[];
  /** Corrupt records in the middle of the log, skipped. */
  problems: LogProblem[];
  /** Pass as `fromOffset` next time to read only what was appended since. */
  endOffset: number;
  /** Bytes of a torn tail that were dropped (an append cut short by a crash). */
  tornBytes: number;
}

/** Reads records from `fromOffset` (0 = from the start). A missing file reads as empty. */
export async function readLog(fs: FileSystem, path: string, fromOffset = 0): Promise<LogRead> {
  const st = await fs.stat(path);
  if (st === undefined) return { records: [], problems: [], endOffset: 0, tornBytes: 0 };
  if (st.kind !== 'file') throw new StoreError('CorruptLog', { path, reason: 'NotAFile' });
  const from = Math.max(fromOffset, 0);
  const bytes = await readRange(fs, path, from, Math.max(st.size - from, 0));
  let start = 0;
  if (from < LOG_MAGIC.length) {
    const head = bytes.subarray(0, LOG_MAGIC.length - from);
    if (!head.every((b, i) => b === LOG_MAGIC[from + i])) throw new StoreError('CorruptLog', { path, reason: 'NotALog' });
    // a header cut short is an empty log whose creation was torn
    if (from + bytes.length < LOG_MAGIC.length) return { records: [], problems: [], endOffset: 0, tornBytes: from + bytes.length };
    start = LOG_MAGIC.length - from;
  }
  const scan = scanFrames(bytes, start);
  const records: unknown[] = [];
  const problems: LogProblem[] = scan.corrupt.map((c) => ({ code: 'CorruptRecord', offset: from + c.offset, length: c.length }));
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const frame of scan.frames) {
    try {
      records.push(parseTagged(decoder.decode(frame.payload)));
    } catch {
      problems.push({ code: 'CorruptRecord', offset: from + frame.offset, length: frame.payload.length + 8 });
    }
  }
  problems.sort((a, b) => a.offset - b.offset);
  return { records, problems, endOffset: from + scan.validEnd, tornBytes: scan.tornBytes };
}

export type LogDamage = 'NotAFile' | 'NotALog' | 'Unreadable';

/**
 * What is wrong with a log at first sight — not a regular file, a foreign header, unreadable — or
 * null. Reads 8 bytes, so opening a project can check every run's logs without parsing them. A
 * missing log or a header cut short (a torn creation) reads as empty, so neither is damage.
 */
export async function logHeaderDamage(fs: FileSystem, path: string): Promise<LogDamage | null> {
  try {
    const st = await fs.stat(path);
    if (st === undefined) return null;
    if (st.kind !== 'file') return 'NotAFile';
    const head = await readRange(fs, path, 0, LOG_MAGIC.length);
    return head.every((b, i) => b === LOG_MAGIC[i]) ? null : 'NotALog';
  } catch (e) {
    if (e instanceof FsError && e.code === 'Io') return 'Unreadable';
    throw e;
  }
}

/**
 * Appends records. Opening truncates a torn tail first, so new records never follow garbage
 * (which would read back as a corrupt record in the middle); an append that fails (a full disk)
 * cuts its partial bytes off again the same way.
 */
export class LogWriter {
  private constructor(
    private readonly fs: FileSystem,
    private readonly handle: WriteHandle,
    readonly path: string,
    /** Where the last whole append ended. */
    private end: number,
  ) {}

  static async open(fs: FileSystem, path: string): Promise<LogWriter> {
    const st = await fs.stat(path);
    let end = LOG_MAGIC.length;
    if (st === undefined || st.size < LOG_MAGIC.length) {
      const handle = await fs.openWrite(path, 'truncate');
      await handle.write(LOG_MAGIC);
      await handle.sync();
      await handle.close();
      await fs.syncDir(dirname(path));
    } else {
      const read = await readLog(fs, path);
      if (read.tornBytes > 0) await fs.truncate(path, read.endOffset);
      end = read.endOffset;
    }
    return new LogWriter(fs, await fs.openWrite(path, 'append'), path, end);
  }

  /** Writes the records as one append; `sync` (default true) makes them durable before returning. */
  async append(records: readonly unknown[], sync = true): Promise<void> {
    const frames = records.map((r) => {
      const payload = new TextEncoder().encode(stringifyTagged(r));
      if (payload.length > MAX_RECORD_BYTES) throw new StoreError('RecordTooLarge', { bytes: payload.length, max: MAX_RECORD_BYTES });
      return encodeFrame(payload);
    });
    const total = frames.reduce((n, f) => n + f.length, 0);
    const batch = new Uint8Array(total);
    let at = 0;
    for (const f of frames) {
      batch.set(f, at);
      at += f.length;
    }
    try {
      await this.handle.write(batch);
      if (sync) await this.handle.sync();
    } catch (e) {
      try {
        await this.fs.truncate(this.path, this.end);
      } catch {
        // the next open drops the torn tail instead
      }
      throw e;
    }
    this.end += total;
  }

  async close(): Promise<void> {
    try {
      await this.handle.close();
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
    }
  }
}

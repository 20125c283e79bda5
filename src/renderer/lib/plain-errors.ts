/**
 * Coded errors from the app, in sentences a person can act on. The codes are the contract; the
 * wording lives here, beside the renderer that shows it.
 */
import { BridgeError } from '../bridge';
import { formatBytes, formatCount } from './format';

type Details = Record<string, unknown> | undefined;

const num = (d: Details, k: string): number | null => (typeof d?.[k] === 'number' ? (d[k] as number) : null);
const str = (d: Details, k: string): string | null => (typeof d?.[k] === 'string' ? (d[k] as string) : null);

function at(d: Details): string {
  const line = num(d, 'line');
  const column = num(d, 'column');
  const name = str(d, 'name');
  const col = column !== null ? `, column ${column}${name ? ` (“${name}”)` : ''}` : '';
  return line !== null ? ` on line ${formatCount(line)}${col}` : '';
}

const DATASET: Record<string, (d: Details) => string> = {
  NotFound: () => 'That file no longer exists. It may have been moved or deleted — pick it again.',
  NotAFile: () => 'That is a folder. Pick a single text (.txt) or CSV file to import.',
  Empty: () => 'The file is empty, so there is nothing to train on.',
  TooLarge: (d) => {
    const bytes = num(d, 'bytes');
    const max = num(d, 'maxBytes');
    const parts = [bytes !== null ? formatBytes(bytes) : null, max !== null ? `the limit is ${formatBytes(max)}` : null].filter((p) => p !== null);
    return `The file is too large to import${parts.length > 0 ? ` (${parts.join('; ')})` : ''}. Import a smaller excerpt.`;
  },
  Binary: () => 'This looks like a binary file (an image, an archive or a document such as .docx or .pdf), not plain text. Save it as a .txt file and import that.',
  InvalidUtf8: (d) => {
    const off = num(d, 'byteOffset');
    return `The file is not valid UTF-8 text${off !== null ? `: the bytes at position ${formatCount(off)} do not form a character` : ''}. It may use an older encoding such as Latin-1 or Windows-1252 — re-save it as UTF-8 in a text editor and import it again.`;
  },
  InvalidUtf16: (d) => {
    const off = num(d, 'byteOffset');
    return `The file starts like UTF-16 text but is damaged${off !== null ? ` at byte ${formatCount(off)}` : ''}. Re-save it as UTF-8 and import it again.`;
  },
  LineTooLong: (d) => `A line of the CSV file is far too long${at(d)}. Check that the file really is a table with one row per line.`,
  UnclosedQuote: (d) => `A quoted CSV field is never closed${at(d)}. Add the missing " or remove the stray one.`,
  RaggedRow: (d) => {
    const expected = num(d, 'expected');
    const found = num(d, 'found');
    const counts = expected !== null && found !== null ? `: it has ${found} columns where the header has ${expected}` : '';
    return `A row of the CSV file does not match the others${at(d)}${counts}. Every row needs the same number of columns.`;
  },
  NonNumericCell: (d) => {
    const cell = str(d, 'cell');
    return `A cell in a numeric column is not a number${at(d)}${cell !== null ? ` (“${cell}”)` : ''}. Fix or remove it, or leave the cell empty to mark a missing value.`;
  },
  NonFiniteCell: (d) => `A cell holds an infinite value${at(d)}, which a model cannot be trained on.`,
  NoRows: () => 'The CSV file has a header but no data rows.',
  NoNumericColumns: () => 'The CSV file has no numeric column, so there is no series to learn. A time series needs at least one column of numbers.',
};

const GENERAL: Record<string, (d: Details, fallback: string) => string> = {
  NotAvailable: () => 'This part of RNN Lab is not available in this build yet.',
  InvalidPayload: (_d, m) => m,
  Internal: (_d, m) => m,
  /** Generation without weights, or a resume whose checkpoints are damaged or gone (details `damaged`). */
  NoCheckpoint: (d, m) => {
    const damaged = num(d, 'damaged');
    if (damaged === null) return m;
    const name = str(d, 'runName') || str(d, 'runId') || 'this run';
    const why = damaged > 0 ? `its saved checkpoint${damaged === 1 ? ' is' : 's are'} damaged and cannot be read` : 'its checkpoints are missing from the project folder';
    return `“${name}” cannot be resumed: ${why}. Resuming would quietly train it again from the very beginning, so RNN Lab does not. Start a new run with the same settings instead.`;
  },
  Unresponsive: (_d, m) => m,
};

/** A sentence for an import failure. */
export function importErrorMessage(err: unknown): string {
  if (err instanceof BridgeError) {
    const f = DATASET[err.code] ?? GENERAL[err.code];
    if (f) return f(err.details, err.message);
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/** A sentence for any failed call. */
export function plainError(err: unknown): string {
  if (err instanceof BridgeError) {
    const f = GENERAL[err.code];
    return f ? f(err.details, err.message) : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

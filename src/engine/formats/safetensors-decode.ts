/**
 * safetensors reader for untrusted files. Every check of the format is made before any tensor
 * is allocated: header length cap, strict JSON (no duplicate names), entry shape, supported
 * dtype, checked shape × dtype arithmetic, offsets contiguous from 0 without gap or overlap,
 * exact file length, then the optional checksum and the caller's expected names and shapes.
 */
import { crc32 } from './crc32';
import { SafetensorsError } from './safetensors-error';
import {
  CHECKSUM_KEY,
  DTYPE_BYTES,
  HOST_IS_LITTLE_ENDIAN,
  allocate,
  isSafeDtype,
  swapBytesInPlace,
  type DecodedTensor,
  type SafeDtype,
} from './safetensors-types';
import { StrictJsonError, isJsonObject, parseStrictJson, type JsonValue } from './strict-json';

export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024 * 1024;
const MAX_NAME_LENGTH = 1024;

export interface HeaderEntry {
  name: string;
  dtype: SafeDtype;
  shape: number[];
  begin: number;
  end: number;
}

export interface ParsedHeader {
  headerLength: number;
  /** Entries sorted by data offset (the order the encoder wrote them). */
  entries: HeaderEntry[];
  /** All of `__metadata__`, including the checksum key when present. */
  metadata: Record<string, string>;
  dataStart: number;
}

export interface ExpectedTensor {
  shape: readonly number[];
  dtype?: SafeDtype;
}

export interface DecodeOptions {
  maxHeaderBytes?: number;
  /** `require` for RNN Lab's own files; `if-present` (default) also accepts foreign files. */
  checksum?: 'require' | 'if-present' | 'ignore';
  /** When given, the file must hold exactly these tensors with these shapes (and dtypes). */
  expect?: ReadonlyMap<string, ExpectedTensor>;
}

export interface DecodedSafetensors {
  tensors: Map<string, DecodedTensor>;
  /** `__metadata__` without the checksum key, ready to be passed back to the encoder. */
  metadata: Record<string, string>;
  checksum: 'verified' | 'absent' | 'unchecked';
}

/** Reads the 8-byte length prefix; throws when it exceeds the cap. */
export function readHeaderLength(prefix: Uint8Array, maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES): number {
  if (prefix.length < 8) throw new SafetensorsError('Truncated', { length: prefix.length, need: 8 });
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  if (hi !== 0 || lo > maxHeaderBytes) throw new SafetensorsError('HeaderTooLarge', { headerLength: hi * 2 ** 32 + lo, max: maxHeaderBytes });
  return lo;
}

/**
 * Validates the header found at the start of `bytes` (which must hold at least the prefix and
 * the header) against a file of `fileLength` bytes.
 */
export function parseSafetensorsHeader(bytes: Uint8Array, fileLength: number, maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES): ParsedHeader {
  const n = readHeaderLength(bytes, maxHeaderBytes);
  if (8 + n > bytes.length || 8 + n > fileLength) throw new SafetensorsError('Truncated', { length: fileLength, need: 8 + n });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new SafetensorsError('InvalidHeader', { reason: 'utf8' });
  }
  let root: JsonValue;
  try {
    root = parseStrictJson(text);
  } catch (e) {
    if (e instanceof StrictJsonError && e.reason === 'DuplicateKey') throw new SafetensorsError('DuplicateName', { name: e.key });
    throw new SafetensorsError('InvalidHeader', { reason: e instanceof StrictJsonError ? e.reason : 'syntax' });
  }
  if (!isJsonObject(root)) throw new SafetensorsError('NotAnObject');

  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  const dataLength = fileLength - 8 - n;
  for (const [name, value] of Object.entries(root)) {
    if (name === '__metadata__') {
      if (!isJsonObject(value)) throw new SafetensorsError('InvalidMetadata');
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') throw new SafetensorsError('InvalidMetadata', { key: k });
        metadata[k] = v;
      }
      continue;
    }
    if (name.length === 0 || name.length > MAX_NAME_LENGTH) throw new SafetensorsError('InvalidName', { name: name.slice(0, 64) });
    entries.push(parseEntry(name, value));
  }

  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of entries) {
    if (e.begin < expected) throw new SafetensorsError('Overlap', { name: e.name, begin: e.begin, previousEnd: expected });
    if (e.begin > expected) throw new SafetensorsError('Gap', { name: e.name, begin: e.begin, previousEnd: expected });
    expected = e.end;
  }
  if (expected > dataLength) throw new SafetensorsError('Truncated', { length: fileLength, need: 8 + n + expected });
  if (expected < dataLength) throw new SafetensorsError('TrailingBytes', { extra: dataLength - expected });
  return { headerLength: n, entries, metadata, dataStart: 8 + n };
}

function parseEntry(name: string, value: JsonValue): HeaderEntry {
  if (!isJsonObject(value)) throw new SafetensorsError('InvalidEntry', { name });
  const keys = Object.keys(value).sort().join(',');
  if (keys !== 'data_offsets,dtype,shape') throw new SafetensorsError('InvalidEntry', { name, keys });
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') throw new SafetensorsError('InvalidEntry', { name, field: 'dtype' });
  if (!isSafeDtype(dtype)) throw new SafetensorsError('UnsupportedDtype', { name, dtype: dtype.slice(0, 16) });
  if (!Array.isArray(shape) || !shape.every(isIndex)) throw new SafetensorsError('InvalidEntry', { name, field: 'shape' });
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) throw new SafetensorsError('InvalidEntry', { name, field: 'data_offsets' });
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw new SafetensorsError('InvalidEntry', { name, field: 'data_offsets' });

  // checked arithmetic: shape × element size must stay an exact (safe) integer
  let size = 0;
  if (!(shape as number[]).includes(0)) {
    size = DTYPE_BYTES[dtype];
    for (const d of shape as number[]) {
      if (size > Math.floor(Number.MAX_SAFE_INTEGER / d)) throw new SafetensorsError('ShapeOverflow', { name, shape: (shape as number[]).slice(0, 16) });
      size *= d;
    }
  }
  if (end - begin !== size) throw new SafetensorsError('SizeMismatch', { name, bytes: end - begin, expected: size });
  return { name, dtype, shape: shape as number[], begin, end };
}

function isIndex(v: JsonValue): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export function decodeSafetensors(bytes: Uint8Array, options: DecodeOptions = {}): DecodedSafetensors {
  const header = parseSafetensorsHeader(bytes, bytes.length, options.maxHeaderBytes);
  const metadata = { ...header.metadata };
  let checksum: DecodedSafetensors['checksum'] = 'unchecked';
  if (options.checksum !== 'ignore') {
    const stored = metadata[CHECKSUM_KEY];
    if (stored === undefined) {
      if (options.checksum === 'require') throw new SafetensorsError('ChecksumMissing');
      checksum = 'absent';
    } else {
      verifyChecksum(bytes, header.headerLength, stored);
      checksum = 'verified';
    }
  }
  delete metadata[CHECKSUM_KEY];

  if (options.expect !== undefined) checkExpected(header.entries, options.expect);

  const tensors = new Map<string, DecodedTensor>();
  for (const e of header.entries) {
    const copy = bytes.slice(header.dataStart + e.begin, header.dataStart + e.end);
    if (!HOST_IS_LITTLE_ENDIAN) swapBytesInPlace(copy, DTYPE_BYTES[e.dtype]);
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: allocate(e.dtype, copy.buffer) });
  }
  return { tensors, metadata, checksum };
}

function verifyChecksum(bytes: Uint8Array, headerLength: number, stored: string): void {
  if (!/^[0-9a-f]{8}$/.test(stored)) throw new SafetensorsError('ChecksumMismatch', { stored: stored.slice(0, 16) });
  const marker = new TextEncoder().encode(`${JSON.stringify(CHECKSUM_KEY)}:"${stored}"`);
  const header = bytes.subarray(8, 8 + headerLength);
  const at = indexOfBytes(header, marker, 0);
  if (at < 0 || indexOfBytes(header, marker, at + 1) >= 0) throw new SafetensorsError('ChecksumMismatch', { reason: 'field' });
  const digitsAt = 8 + at + marker.length - 9;
  let c = crc32(bytes.subarray(0, digitsAt));
  c = crc32(new TextEncoder().encode('00000000'), c);
  c = crc32(bytes.subarray(digitsAt + 8), c);
  if (c !== parseInt(stored, 16)) throw new SafetensorsError('ChecksumMismatch', { stored, actual: c.toString(16).padStart(8, '0') });
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function checkExpected(entries: readonly HeaderEntry[], expect: ReadonlyMap<string, ExpectedTensor>): void {
  const byName = new Map(entries.map((e) => [e.name, e]));
  for (const [name, want] of expect) {
    const got = byName.get(name);
    if (got === undefined) throw new SafetensorsError('MissingTensor', { name });
    if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) {
      throw new SafetensorsError('ShapeMismatch', { name, shape: got.shape, expected: [...want.shape] });
    }
    if (want.dtype !== undefined && want.dtype !== got.dtype) throw new SafetensorsError('DtypeMismatch', { name, dtype: got.dtype, expected: want.dtype });
  }
  for (const e of entries) if (!expect.has(e.name)) throw new SafetensorsError('UnexpectedTensor', { name: e.name });
}

/** Exact conversion of I64 data to doubles; refuses values beyond ±(2^53 − 1). */
export function int64ToNumbers(data: BigInt64Array): Float64Array {
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw new SafetensorsError('UnsafeInteger', { index: i });
    out[i] = Number(v);
  }
  return out;
}

/** Integers to I64 data; refuses non-integers and unsafe magnitudes. */
export function numbersToInt64(values: ArrayLike<number>): BigInt64Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isSafeInteger(v)) throw new SafetensorsError('UnsafeInteger', { index: i });
    out[i] = BigInt(v);
  }
  return out;
}

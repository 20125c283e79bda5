/**
 * safetensors writer: 8-byte little-endian header length, a JSON header, then the tensor bytes.
 *
 * Determinism: tensors are laid out, and listed in the header, in the order given (a Map's
 * insertion order), `__metadata__` comes first with its keys sorted, the header is padded with
 * spaces to a multiple of 8 bytes. Decoding returns tensors in data order, so
 * encode(decode(bytes)) reproduces `bytes` exactly.
 *
 * Checksum: unless disabled, `__metadata__["rnnlab.crc32"]` holds the CRC-32 of the whole file
 * computed while those eight hex digits read "00000000". It covers the length prefix, the header
 * and the data, so any single flipped bit anywhere is detected.
 */
import { crc32, crc32Hex } from './crc32';
import { SafetensorsError } from './safetensors-error';
import { CHECKSUM_KEY, DTYPE_BYTES, HOST_IS_LITTLE_ENDIAN, dtypeOf, swapBytesInPlace, type SafeTensor } from './safetensors-types';

export interface EncodeOptions {
  /** Write the `rnnlab.crc32` checksum (default true). */
  checksum?: boolean;
}

const PLACEHOLDER = '00000000';

export function encodeSafetensors(
  tensors: Iterable<readonly [string, SafeTensor]>,
  metadata: Readonly<Record<string, string>> = {},
  options: EncodeOptions = {},
): Uint8Array {
  const withChecksum = options.checksum ?? true;
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new SafetensorsError('InvalidMetadata', { key: k });
    if (k === CHECKSUM_KEY) throw new SafetensorsError('InvalidMetadata', { key: k, reason: 'reserved' });
    meta[k] = v;
  }
  if (withChecksum) meta[CHECKSUM_KEY] = PLACEHOLDER;
  const metaKeys = Object.keys(meta).sort();

  const parts: string[] = [];
  if (metaKeys.length > 0) {
    parts.push(`"__metadata__":{${metaKeys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(meta[k])}`).join(',')}}`);
  }
  const chunks: { bytes: Uint8Array; width: number }[] = [];
  const seen = new Set<string>();
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name.length === 0 || name === '__metadata__' || seen.has(name)) throw new SafetensorsError(seen.has(name) ? 'DuplicateName' : 'InvalidName', { name });
    seen.add(name);
    let n = 1;
    for (const d of t.shape) {
      if (!Number.isSafeInteger(d) || d < 0) throw new SafetensorsError('InvalidTensor', { name, shape: [...t.shape] });
      n *= d;
    }
    if (n !== t.data.length) throw new SafetensorsError('InvalidTensor', { name, shape: [...t.shape], length: t.data.length });
    const dtype = dtypeOf(t.data);
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    const size = n * DTYPE_BYTES[dtype];
    parts.push(`${JSON.stringify(name)}:{"dtype":"${dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${offset + size}]}`);
    chunks.push({ bytes, width: DTYPE_BYTES[dtype] });
    offset += size;
  }

  const header = `{${parts.join(',')}}`;
  const encoder = new TextEncoder();
  const headerBytes = encoder.encode(header);
  const padded = Math.ceil((8 + headerBytes.length) / 8) * 8 - 8;
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, Math.floor(padded / 2 ** 32), true);
  out.set(headerBytes, 8);
  out.fill(0x20, 8 + headerBytes.length, 8 + padded);
  let at = 8 + padded;
  for (const { bytes, width } of chunks) {
    out.set(bytes, at);
    if (!HOST_IS_LITTLE_ENDIAN) swapBytesInPlace(out.subarray(at, at + bytes.length), width);
    at += bytes.length;
  }

  if (withChecksum) {
    const marker = `${JSON.stringify(CHECKSUM_KEY)}:"${PLACEHOLDER}"`;
    const digitsAt = 8 + encoder.encode(header.slice(0, header.indexOf(marker))).length + marker.length - 1 - PLACEHOLDER.length;
    out.set(encoder.encode(crc32Hex(crc32(out))), digitsAt);
  }
  return out;
}

/**
 * Framing of the append-only logs (metrics.log, samples.log).
 *
 *   file   = "RNNLOG01" frame*
 *   frame  = length:u32le  crc:u32le  payload[length]      crc = CRC-32(length bytes ++ payload)
 *
 * Reading: a frame whose length or CRC does not check out is bad. If a valid frame starts
 * somewhere after it, the bytes in between are a corrupt record in the middle (reported, and
 * reading resumes there). If none does, the bad bytes are a torn tail — an append cut short by a
 * crash — and are dropped silently. A CRC covering the length keeps a damaged length from
 * swallowing good records unnoticed.
 */
import { crc32 } from '../../engine/formats/crc32';

export const LOG_MAGIC = new TextEncoder().encode('RNNLOG01');
export const MAX_RECORD_BYTES = 1 << 20;

export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length, true);
  out.set(payload, 8);
  view.setUint32(4, crc32(payload, crc32(out.subarray(0, 4))), true);
  return out;
}

/** Length of the valid frame at `pos`, or -1. */
export function frameAt(bytes: Uint8Array, pos: number): number {
  if (pos + 8 > bytes.length) return -1;
  const view = new DataView(bytes.buffer, bytes.byteOffset + pos, 8);
  const len = view.getUint32(0, true);
  if (len === 0 || len > MAX_RECORD_BYTES || pos + 8 + len > bytes.length) return -1;
  const crc = crc32(bytes.subarray(pos + 8, pos + 8 + len), crc32(bytes.subarray(pos, pos + 4)));
  return crc === view.getUint32(4, true) ? 8 + len : -1;
}

export interface ScannedFrames {
  frames: { offset: number; payload: Uint8Array }[];
  /** Byte ranges that failed their checks with a valid frame after them. */
  corrupt: { offset: number; length: number }[];
  /** End of the last valid frame: where the next append belongs. */
  validEnd: number;
  /** Bytes after `validEnd` that were dropped as a torn tail. */
  tornBytes: number;
}

/** Scans frames from `start` (an offset just past the magic or a previous `validEnd`). */
export function scanFrames(bytes: Uint8Array, start: number): ScannedFrames {
  const out: ScannedFrames = { frames: [], corrupt: [], validEnd: start, tornBytes: 0 };
  let pos = start;
  while (pos < bytes.length) {
    const size = frameAt(bytes, pos);
    if (size > 0) {
      out.frames.push({ offset: pos, payload: bytes.subarray(pos + 8, pos + size) });
      pos += size;
      out.validEnd = pos;
      continue;
    }
    let next = pos + 1;
    while (next < bytes.length && frameAt(bytes, next) < 0) next++;
    if (next >= bytes.length) {
      out.tornBytes = bytes.length - pos;
      break;
    }
    out.corrupt.push({ offset: pos, length: next - pos });
    pos = next;
  }
  return out;
}

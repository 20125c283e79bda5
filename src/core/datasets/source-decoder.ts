/**
 * Turns the bytes of an imported file, chunk by chunk, into text with LF line ends.
 *
 * Encodings: UTF-8 with or without BOM, UTF-16 LE/BE with a BOM (without a BOM, UTF-16 text is
 * full of NUL bytes and is refused as binary). CRLF and lone CR become LF, also across chunks.
 * Refusals, each with the byte offset: `Binary` (a NUL anywhere — looked for in the first 8 KiB
 * before validating, so a binary file is called binary — or — checked at the end — more
 * than 5% control characters other than tab, LF, CR and FF), `InvalidUtf8`, `InvalidUtf16`.
 */
import { TextDecoder } from 'node:util';
import { DatasetError } from './dataset-error';
import { Utf8Validator } from './utf8-validator';

export type SourceEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';
export type NewlineStyle = 'lf' | 'crlf' | 'cr' | 'mixed' | 'none';

export const MAX_CONTROL_RATIO = 0.05;
/** A NUL within the first bytes means binary even if an invalid UTF-8 byte comes before it. */
const SNIFF_BYTES = 8192;

export class SourceDecoder {
  encoding: SourceEncoding | undefined;
  /** Code points of decoded text (after newline normalisation). */
  characters = 0;
  controls = 0;
  /** Line breaks by their original form. */
  readonly breaks = { lf: 0, crlf: 0, cr: 0 };
  lastChar = '';

  private head = new Uint8Array(0);
  private offset = 0;
  private utf8 = new Utf8Validator();
  private decoder: TextDecoder | undefined;
  private pendingCr = false;
  /** UTF-16: an odd byte carried to the next chunk, and whether the last unit was a high surrogate. */
  private oddByte = -1;
  private highAt = -1;

  constructor(private readonly onText: (text: string) => void) {}

  push(chunk: Uint8Array): void {
    if (this.encoding === undefined) {
      const joined = new Uint8Array(this.head.length + chunk.length);
      joined.set(this.head);
      joined.set(chunk, this.head.length);
      if (joined.length < SNIFF_BYTES) {
        this.head = joined;
        return;
      }
      this.head = new Uint8Array(0);
      this.start(joined);
      return;
    }
    this.feed(chunk);
  }

  end(): void {
    if (this.encoding === undefined) this.start(this.head);
    if (this.encoding === 'utf-8' || this.encoding === 'utf-8-bom') {
      const v = this.utf8.end();
      if (!v.ok) throw new DatasetError('InvalidUtf8', { byteOffset: v.byteOffset });
    } else {
      if (this.oddByte >= 0) throw new DatasetError('InvalidUtf16', { byteOffset: this.offset - 1 });
      if (this.highAt >= 0) throw new DatasetError('InvalidUtf16', { byteOffset: this.highAt });
    }
    this.emit(this.decoder!.decode(), true);
    if (this.characters > 0 && this.controls / this.characters > MAX_CONTROL_RATIO) {
      throw new DatasetError('Binary', { controlRatio: this.controls / this.characters });
    }
  }

  newline(): NewlineStyle {
    const kinds = (['lf', 'crlf', 'cr'] as const).filter((k) => this.breaks[k] > 0);
    return kinds.length === 0 ? 'none' : kinds.length > 1 ? 'mixed' : kinds[0]!;
  }

  private start(bytes: Uint8Array): void {
    let skip = 0;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      this.encoding = 'utf-8-bom';
      skip = 3;
    } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
      this.encoding = 'utf-16le';
      skip = 2;
    } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
      this.encoding = 'utf-16be';
      skip = 2;
    } else this.encoding = 'utf-8';
    if (this.encoding === 'utf-8' || this.encoding === 'utf-8-bom') {
      const nul = bytes.subarray(0, SNIFF_BYTES).indexOf(0);
      if (nul >= 0) throw new DatasetError('Binary', { byteOffset: nul });
    }
    const label = this.encoding === 'utf-8-bom' ? 'utf-8' : this.encoding;
    this.decoder = new TextDecoder(label, { ignoreBOM: true });
    this.offset = skip;
    this.utf8 = new Utf8Validator();
    this.feed(bytes.subarray(skip), skip);
  }

  private feed(chunk: Uint8Array, base = this.offset): void {
    if (this.encoding === 'utf-8' || this.encoding === 'utf-8-bom') {
      const v = this.utf8.push(chunk);
      if (!v.ok) {
        const byteOffset = v.byteOffset + (this.encoding === 'utf-8-bom' ? 3 : 0);
        throw new DatasetError(v.reason === 'nul' ? 'Binary' : 'InvalidUtf8', { byteOffset });
      }
    } else this.checkUtf16(chunk, base);
    this.offset = base + chunk.length;
    this.emit(this.decoder!.decode(chunk, { stream: true }), false);
  }

  private checkUtf16(chunk: Uint8Array, base: number): void {
    const be = this.encoding === 'utf-16be';
    let i = 0;
    const unitFrom = (a: number, b: number): number => (be ? (a << 8) | b : (b << 8) | a);
    const visit = (unit: number, at: number): void => {
      if (unit === 0) throw new DatasetError('Binary', { byteOffset: at });
      if (this.highAt >= 0) {
        if (unit < 0xdc00 || unit > 0xdfff) throw new DatasetError('InvalidUtf16', { byteOffset: this.highAt });
        this.highAt = -1;
      } else if (unit >= 0xd800 && unit <= 0xdbff) this.highAt = at;
      else if (unit >= 0xdc00 && unit <= 0xdfff) throw new DatasetError('InvalidUtf16', { byteOffset: at });
    };
    if (this.oddByte >= 0 && chunk.length > 0) {
      visit(unitFrom(this.oddByte, chunk[0]!), base - 1);
      this.oddByte = -1;
      i = 1;
    }
    for (; i + 1 < chunk.length; i += 2) {
      visit(unitFrom(chunk[i]!, chunk[i + 1]!), base + i);
    }
    if (i < chunk.length) this.oddByte = chunk[i]!;
  }

  /** Normalises line ends (a CR at a chunk's end waits for the next chunk) and counts. */
  private emit(decoded: string, final: boolean): void {
    let text = this.pendingCr ? '\r' + decoded : decoded;
    this.pendingCr = false;
    if (!final && text.endsWith('\r')) {
      this.pendingCr = true;
      text = text.slice(0, -1);
    }
    if (text.length === 0) return;
    let converted = 0;
    if (text.includes('\r')) {
      const withCrlf = text.length;
      text = text.replaceAll('\r\n', '\n');
      const crlf = withCrlf - text.length;
      let cr = 0;
      for (let at = text.indexOf('\r'); at >= 0; at = text.indexOf('\r', at + 1)) cr++;
      if (cr > 0) text = text.replaceAll('\r', '\n');
      this.breaks.crlf += crlf;
      this.breaks.cr += cr;
      converted = crlf + cr;
    }
    let units = text.length;
    let controls = 0;
    let lf = 0;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c < 0x20) {
        if (c === 0x0a) lf++;
        else if (c !== 0x09 && c !== 0x0c) controls++;
      } else if (c >= 0x7f && c <= 0x9f) controls++;
      else if (c >= 0xdc00 && c <= 0xdfff) units--; // low half of a pair: same code point
    }
    this.breaks.lf += lf - converted;
    this.characters += units;
    this.controls += controls;
    this.lastChar = text[text.length - 1]!;
    this.onText(text);
  }
}

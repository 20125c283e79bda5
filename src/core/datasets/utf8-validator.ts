/**
 * Streaming UTF-8 validation that knows where it failed (TextDecoder's fatal mode does not say).
 * Rejects overlong forms, surrogates (ED A0–BF), code points above U+10FFFF, stray continuation
 * bytes and sequences cut off at the end of the input. NUL bytes are reported separately because
 * they mean "binary", not "bad encoding".
 */
export type Utf8Verdict = { ok: true } | { ok: false; reason: 'invalid' | 'nul'; byteOffset: number };

export class Utf8Validator {
  /** Continuation bytes still expected for the current sequence. */
  private need = 0;
  /** Allowed range of the next continuation byte (narrowed after E0, ED, F0, F4). */
  private lo = 0x80;
  private hi = 0xbf;
  /** Absolute offset where the current multi-byte sequence started. */
  private seqStart = 0;
  private offset = 0;

  push(chunk: Uint8Array): Utf8Verdict {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.need > 0) {
        if (b < this.lo || b > this.hi) return { ok: false, reason: 'invalid', byteOffset: this.seqStart };
        this.lo = 0x80;
        this.hi = 0xbf;
        this.need--;
        continue;
      }
      if (b < 0x80) {
        if (b === 0) return { ok: false, reason: 'nul', byteOffset: this.offset + i };
        continue;
      }
      this.seqStart = this.offset + i;
      if (b >= 0xc2 && b <= 0xdf) this.need = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        this.need = 2;
        if (b === 0xe0) this.lo = 0xa0;
        else if (b === 0xed) this.hi = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        this.need = 3;
        if (b === 0xf0) this.lo = 0x90;
        else if (b === 0xf4) this.hi = 0x8f;
      } else return { ok: false, reason: 'invalid', byteOffset: this.seqStart };
    }
    this.offset += chunk.length;
    return { ok: true };
  }

  /** Call at end of input: a sequence still open is invalid. */
  end(): Utf8Verdict {
    return this.need > 0 ? { ok: false, reason: 'invalid', byteOffset: this.seqStart } : { ok: true };
  }
}

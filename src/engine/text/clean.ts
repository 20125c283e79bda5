/**
 * Text cleaning before tokenisation.
 *
 * `letters` reproduces d2l's `re.sub('[^A-Za-z]+', ' ', text).lower()`: every run of characters
 * outside A–Z/a–z becomes one space, and only then is the text lowercased. The order matters for
 * characters whose lowercase is ASCII (KELVIN SIGN U+212A → 'k', 'İ' → 'i̇'): d2l has already
 * replaced them by a space, so they never become letters. Leading and trailing runs become a
 * space too (no trimming), exactly like `re.sub`.
 *
 * Difference from d2l's `read_time_machine`: d2l cleans line by line and `strip()`s each line, so
 * its character corpus glues the last word of a line to the first word of the next. Here a line
 * break is a non-letter like any other and becomes a space.
 *
 * `none` leaves the text untouched.
 */
export type Cleaning = 'letters' | 'none';

export const CLEANINGS: readonly Cleaning[] = ['letters', 'none'];

const NON_LETTER_RUN = /[^A-Za-z]+/g;

export function cleanText(text: string, cleaning: Cleaning): string {
  if (cleaning === 'none') return text;
  // the result holds only ASCII letters and spaces, so toLowerCase is plain ASCII folding
  return text.replace(NON_LETTER_RUN, ' ').toLowerCase();
}

/**
 * Chunk-by-chunk form of `cleanText`: concatenating the outputs of `push` equals cleaning the
 * concatenated input, even when a run of non-letters spans chunk boundaries.
 */
export class StreamingCleaner {
  private endsWithSpace = false;

  constructor(readonly cleaning: Cleaning) {}

  push(chunk: string): string {
    if (this.cleaning === 'none' || chunk.length === 0) return chunk;
    let out = cleanText(chunk, 'letters');
    // a non-letter run cut by the chunk boundary must stay one space
    if (this.endsWithSpace && out.charCodeAt(0) === 32) out = out.slice(1);
    if (out.length > 0) this.endsWithSpace = out.charCodeAt(out.length - 1) === 32;
    return out;
  }
}

/**
 * Defaults a text corpus suggests: the sample prefix is the corpus' own opening (its first few
 * words, as the run's cleaning leaves them), and `letters` cleaning warns when it would drop more
 * than a fifth of the text's characters (CJK, source code, numbers).
 */

/** Characters of the opening a dataset record keeps, per cleaning. */
export const OPENING_CHARS = 200;

/** `letters` keeps less than this share of the non-space characters: the user is warned. */
export const LETTERS_WARN_BELOW = 0.8;

/**
 * The sample prefix for a corpus that starts with `opening` (already cleaned): for characters
 * about ten characters ending on a word boundary (at most three words, 30 characters); for words
 * the first three words. Empty when the opening is only whitespace.
 */
export function openingPrefix(opening: string, tokenizer: 'char' | 'word'): string {
  const words = opening.trim().split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return '';
  if (tokenizer === 'word') return words.slice(0, 3).join(' ');
  let out = '';
  for (const w of words.slice(0, 3)) {
    out = out === '' ? w : `${out} ${w}`;
    if (out.length >= 10) break;
  }
  return [...out].slice(0, 30).join('');
}

/** The sentence shown when `letters` cleaning drops too much of a text, or null. */
export function lettersWarning(lettersKept: number | undefined): string | null {
  if (lettersKept === undefined || lettersKept >= LETTERS_WARN_BELOW) return null;
  const dropped = Math.round((1 - lettersKept) * 100);
  return `“letters” cleaning keeps only A–Z and drops ${dropped} % of this text's characters (other scripts, digits, code). Choose “none” to keep them.`;
}

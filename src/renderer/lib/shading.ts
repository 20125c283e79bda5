/** How generated and scored tokens are shaded: probability as opacity, surprisal in bits. */

/** −log2 p from a natural-log probability. */
export function surprisalBits(logprob: number): number {
  return -logprob / Math.LN2;
}

/** Background opacity for a token of probability p: confident tokens are strong, doubtful ones faint. */
export function probabilityAlpha(p: number): number {
  if (!Number.isFinite(p)) return 0;
  return Math.round((0.08 + 0.72 * Math.min(1, Math.max(0, p))) * 100) / 100;
}

/** Opacity for a surprisal: 0 bits is clear, `maxBits` or more is the strongest. */
export function surprisalAlpha(bits: number, maxBits = 8): number {
  if (!Number.isFinite(bits)) return 0.85;
  return Math.round(Math.min(0.85, (0.85 * Math.max(0, bits)) / maxBits) * 100) / 100;
}

/** Visible stand-ins for whitespace tokens. */
export function visibleToken(t: string): string {
  return t.replace(/\n/g, '↵\n').replace(/\t/g, '⇥');
}

export function meanBits(logprobs: readonly number[]): number {
  if (logprobs.length === 0) return NaN;
  return logprobs.reduce((a, lp) => a + surprisalBits(lp), 0) / logprobs.length;
}

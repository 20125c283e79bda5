/** Saliency bars: the tokens before a prediction, each with a bar as tall as its |gradient × input| relative to the largest. */
export interface SaliencyBar {
  step: number;
  token: string;
  value: number;
  /** 0..1 of the largest magnitude shown. */
  height: number;
}

/** The last `max` tokens up to the prediction's step (the nearest matter most and fit on screen); `first` is the step of tokens[0]. */
export function saliencyBars(tokens: readonly string[], saliency: readonly number[], max = 80, first = 0): SaliencyBar[] {
  const n = Math.min(tokens.length, saliency.length);
  const from = Math.max(0, n - max);
  let top = 0;
  for (let t = from; t < n; t++) top = Math.max(top, Math.abs(saliency[t]!));
  const out: SaliencyBar[] = [];
  for (let t = from; t < n; t++) out.push({ step: first + t, token: tokens[t]!, value: saliency[t]!, height: top > 0 ? Math.abs(saliency[t]!) / top : 0 });
  return out;
}

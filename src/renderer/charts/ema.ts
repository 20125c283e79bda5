/**
 * TensorBoard's smoothing: an exponential moving average debiased like Adam's moments, so the
 * first points are not dragged towards zero. `weight` 0 leaves the series as it is; 0.99 is
 * very smooth. Non-finite values pass through and do not poison the average after them.
 */
export function debiasedEma(y: ArrayLike<number>, length: number, weight: number, out: Float64Array = new Float64Array(length)): Float64Array {
  if (weight <= 0) {
    for (let i = 0; i < length; i++) out[i] = y[i]!;
    return out;
  }
  let last = 0;
  // weight^n, kept as a running product: Math.pow per point dominated long series.
  let wn = 1;
  for (let i = 0; i < length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    wn *= weight;
    out[i] = last / (1 - wn);
  }
  return out;
}

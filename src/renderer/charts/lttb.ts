/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013): keeps the first and last
 * point, splits the rest into `threshold − 2` buckets and keeps, from each, the point that forms
 * the largest triangle with the point kept before it and the average of the next bucket. Peaks
 * and dips survive, which a stride would drop. Non-finite values are kept as gaps: a bucket that
 * holds one keeps it, so a diverged tail is never smoothed away.
 */
export function lttbIndices(x: ArrayLike<number>, y: ArrayLike<number>, length: number, threshold: number): Uint32Array {
  if (threshold >= length || threshold < 3) {
    const all = new Uint32Array(length);
    for (let i = 0; i < length; i++) all[i] = i;
    return all;
  }
  const kept = new Uint32Array(threshold);
  const bucket = (length - 2) / (threshold - 2);
  let a = 0;
  kept[0] = 0;
  for (let b = 0; b < threshold - 2; b++) {
    const start = Math.floor(b * bucket) + 1;
    const end = Math.min(Math.floor((b + 1) * bucket) + 1, length - 1);
    // Average of the next bucket (the last point for the final bucket).
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((b + 2) * bucket) + 1, length);
    let avgX = 0;
    let avgY = 0;
    let count = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      if (!Number.isFinite(y[j]!)) continue;
      avgX += x[j]!;
      avgY += y[j]!;
      count++;
    }
    if (count > 0) {
      avgX /= count;
      avgY /= count;
    } else {
      avgX = x[nextEnd - 1]!;
      avgY = y[a]!;
    }
    const ax = x[a]!;
    const ay = y[a]!;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const yj = y[j]!;
      if (!Number.isFinite(yj)) {
        best = j;
        break;
      }
      const area = Math.abs((ax - avgX) * (yj - ay) - (ax - x[j]!) * (avgY - ay));
      if (area > bestArea || !Number.isFinite(ay)) {
        bestArea = area;
        best = j;
        if (!Number.isFinite(ay)) break;
      }
    }
    kept[b + 1] = best;
    a = best;
  }
  kept[threshold - 1] = length - 1;
  return kept;
}

/** `[x, y]` pairs for a chart, at most `threshold` of them; non-finite y becomes a gap (null). */
export function downsamplePairs(x: ArrayLike<number>, y: ArrayLike<number>, length: number, threshold: number): Array<[number, number | null]> {
  const idx = lttbIndices(x, y, length, threshold);
  const out = new Array<[number, number | null]>(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    const v = y[i]!;
    out[k] = [x[i]!, Number.isFinite(v) ? v : null];
  }
  return out;
}

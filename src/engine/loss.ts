import type { FloatArray } from './tensor';

/*
 * Softmax cross-entropy over rows of logits, computed through log-sum-exp so large logits
 * neither overflow nor lose the small probabilities. Sums run in float64 whatever the storage.
 * Perplexity = exp(mean cross-entropy) (d2l 9.5).
 */

/** ln Σ_j exp(x[off + j]) over v entries, stable for any finite logits. */
export function logSumExp(x: ArrayLike<number>, off: number, v: number): number {
  let max = -Infinity;
  for (let j = 0; j < v; j++) if (x[off + j]! > max) max = x[off + j]!;
  if (max === Infinity || max === -Infinity) return max; // NaN entries propagate through the sum below
  let s = 0;
  for (let j = 0; j < v; j++) s += Math.exp(x[off + j]! - max);
  return max + Math.log(s);
}

// logits: (n, v)  out: (n, v)            out = softmax(logits) row by row (out may alias logits)
export function softmaxRows(out: FloatArray, logits: ArrayLike<number>, n: number, v: number): void {
  for (let r = 0, o = 0; r < n; r++, o += v) {
    let max = -Infinity;
    for (let j = 0; j < v; j++) if (logits[o + j]! > max) max = logits[o + j]!;
    let sum = 0;
    for (let j = 0; j < v; j++) { const e = Math.exp(logits[o + j]! - max); out[o + j] = e; sum += e; }
    for (let j = 0; j < v; j++) out[o + j]! /= sum; // dividing by the sum keeps the row sum within a few ulps of 1
  }
}

// logits: (n, v)  targets: (n)  lse: (n) optional, receives each row's log-sum-exp for backward
/** Mean over rows of −ln softmax(logits)[target]. */
export function crossEntropyForward(logits: FloatArray, targets: Int32Array, n: number, v: number, lse?: Float64Array): number {
  let total = 0;
  for (let r = 0, o = 0; r < n; r++, o += v) {
    const t = targets[r]!;
    if (!(t >= 0 && t < v)) throw new RangeError(`target ${t} at row ${r} is outside the vocabulary (size ${v})`);
    const l = logSumExp(logits, o, v);
    if (lse) lse[r] = l;
    total += l - logits[o + t]!;
  }
  return total / n;
}

// logits, dLogits: (n, v)  targets: (n)  lse: (n) from crossEntropyForward
/** dLogits += scale · (softmax(logits) − onehot(targets)); scale defaults to 1/n (the mean). */
export function crossEntropyBackward(
  dLogits: FloatArray, logits: FloatArray, targets: Int32Array, n: number, v: number, lse: Float64Array, scale = 1 / n,
): void {
  for (let r = 0, o = 0; r < n; r++, o += v) {
    const l = lse[r]!;
    for (let j = 0; j < v; j++) dLogits[o + j]! += scale * Math.exp(logits[o + j]! - l);
    dLogits[o + targets[r]!]! -= scale;
  }
}

export function perplexity(meanCrossEntropy: number): number {
  return Math.exp(meanCrossEntropy);
}

// pred, target: (n)
/** Mean squared error Σ (pred − target)² / n, summed in float64 (nn.MSELoss with reduction 'mean'). */
export function mseForward(pred: ArrayLike<number>, target: ArrayLike<number>, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = pred[i]! - target[i]!;
    total += d * d;
  }
  return total / n;
}

// pred, target, dPred: (n)
/** dPred += scale · 2 (pred − target); scale defaults to 1/n (the mean). */
export function mseBackward(dPred: FloatArray, pred: ArrayLike<number>, target: ArrayLike<number>, n: number, scale = 1 / n): void {
  for (let i = 0; i < n; i++) dPred[i]! += 2 * scale * (pred[i]! - target[i]!);
}

// pred, target: (n)
/** Mean absolute error Σ |pred − target| / n, summed in float64 (nn.L1Loss with reduction 'mean'). */
export function maeForward(pred: ArrayLike<number>, target: ArrayLike<number>, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += Math.abs(pred[i]! - target[i]!);
  return total / n;
}

// pred, target, dPred: (n)
/** dPred += scale · sign(pred − target), with sign(0) = 0 as PyTorch's L1Loss; scale defaults to 1/n. */
export function maeBackward(dPred: FloatArray, pred: ArrayLike<number>, target: ArrayLike<number>, n: number, scale = 1 / n): void {
  for (let i = 0; i < n; i++) dPred[i]! += scale * Math.sign(pred[i]! - target[i]!);
}

// pred, target: (n)
/**
 * Huber loss, mean over n (nn.HuberLoss(delta)): ½d² where |d| < δ, δ(|d| − ½δ) elsewhere, d = pred − target.
 * Quadratic near the target like MSE, linear in the tails like MAE, so outliers pull less.
 */
export function huberForward(pred: ArrayLike<number>, target: ArrayLike<number>, n: number, delta = 1): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(pred[i]! - target[i]!);
    total += a < delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
  }
  return total / n;
}

// pred, target, dPred: (n)
/** dPred += scale · clamp(pred − target, −δ, δ); scale defaults to 1/n. */
export function huberBackward(dPred: FloatArray, pred: ArrayLike<number>, target: ArrayLike<number>, n: number, delta = 1, scale = 1 / n): void {
  for (let i = 0; i < n; i++) dPred[i]! += scale * Math.min(delta, Math.max(-delta, pred[i]! - target[i]!));
}

/** The regression losses a forecaster trains on (normalised units). */
export type RegressionLoss = 'mse' | 'mae' | 'huber';

/** Mean loss of `kind` (Huber with δ = 1). */
export function regressionLossForward(kind: RegressionLoss, pred: ArrayLike<number>, target: ArrayLike<number>, n: number): number {
  if (kind === 'mse') return mseForward(pred, target, n);
  if (kind === 'mae') return maeForward(pred, target, n);
  return huberForward(pred, target, n, 1);
}

/** dPred += ∂(mean loss of `kind`)/∂pred. */
export function regressionLossBackward(kind: RegressionLoss, dPred: FloatArray, pred: ArrayLike<number>, target: ArrayLike<number>, n: number): void {
  if (kind === 'mse') mseBackward(dPred, pred, target, n);
  else if (kind === 'mae') maeBackward(dPred, pred, target, n);
  else huberBackward(dPred, pred, target, n, 1);
}

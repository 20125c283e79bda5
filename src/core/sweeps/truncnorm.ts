/**
 * The truncated normal the Parzen estimators are built from: its log mass between two standard
 * scores, its log density, and draws by inverse CDF. Precision in the tails comes from working on
 * the side of zero where Φ is small (erfc has a small relative error there).
 */
import type { Rng } from '../../engine/rng';

const SQRT2 = Math.SQRT2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Complementary error function, relative error < 1.2e-7 everywhere (Numerical Recipes' erfcc). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Φ(x), the standard normal CDF. */
export const normalCdf = (x: number): number => 0.5 * erfc(-x / SQRT2);

/** log(Φ(b) − Φ(a)) for a ≤ b. */
export function logGaussMass(a: number, b: number): number {
  let mass: number;
  if (b <= 0) mass = normalCdf(b) - normalCdf(a);
  else if (a >= 0) mass = normalCdf(-a) - normalCdf(-b);
  else mass = 1 - normalCdf(a) - normalCdf(-b);
  return Math.log(Math.max(mass, 0));
}

/** Φ⁻¹(p) for p in (0, 1) (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalPpf(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lowP = 0.02425;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < lowP) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lowP) return -normalPpf(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** log density at x of N(mu, sigma²) truncated to [low, high]. */
export function truncNormLogPdf(x: number, low: number, high: number, mu: number, sigma: number): number {
  if (x < low || x > high) return -Infinity;
  const z = (x - mu) / sigma;
  return -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma) - logGaussMass((low - mu) / sigma, (high - mu) / sigma);
}

/** One draw of N(mu, sigma²) truncated to [low, high]. */
export function truncNormSample(rng: Rng, low: number, high: number, mu: number, sigma: number): number {
  let a = (low - mu) / sigma;
  let b = (high - mu) / sigma;
  // sample on the left of zero, where Φ keeps its precision, and mirror
  const mirror = a > 0;
  if (mirror) [a, b] = [-b, -a];
  const pa = normalCdf(a);
  const pb = normalCdf(b);
  const z = pb > pa ? normalPpf(pa + (pb - pa) * rng.nextFloat()) : (a + b) / 2;
  const x = mu + sigma * (mirror ? -z : z);
  return Math.min(high, Math.max(low, Number.isFinite(x) ? x : mu));
}

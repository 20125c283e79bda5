/**
 * torch.optim.Adam and AdamW (PyTorch 1.13 formulas), step t counted from 1:
 *   Adam:  g = g + wd·p            (L2 penalty folded into the gradient)
 *   AdamW: p = p·(1 − lr·wd)       (decoupled decay, before the moments)
 *   m = β1·m + (1 − β1)·g
 *   v = β2·v + (1 − β2)·g²
 *   p = p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)      (ε outside the bias-corrected root)
 */
import type { FloatArray, NamedTensors } from '../tensor';
import { allocSlot, bindParams, checkHyper, exportSlots, importSlots, type BoundParam, type Optimizer, type OptimizerState } from './optimizer';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Adam default 0; AdamW default 0.01 (PyTorch's defaults). */
  weightDecay?: number;
}

export class Adam<A extends FloatArray = FloatArray> implements Optimizer<A> {
  readonly kind: 'adam' | 'adamw';
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private steps = 0;
  private readonly bound: BoundParam<A>[];
  private readonly expAvg: A[];
  private readonly expAvgSq: A[];

  /** `decoupled` selects AdamW; prefer `new AdamW(...)`. */
  constructor(params: NamedTensors<A>, grads: NamedTensors<A>, options: AdamOptions, decoupled = false) {
    this.kind = decoupled ? 'adamw' : 'adam';
    this.lr = options.lr;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? (decoupled ? 1e-2 : 0);
    checkHyper('lr', this.lr, this.lr >= 0);
    checkHyper('beta1', this.beta1, this.beta1 >= 0 && this.beta1 < 1);
    checkHyper('beta2', this.beta2, this.beta2 >= 0 && this.beta2 < 1);
    checkHyper('eps', this.eps, this.eps >= 0);
    checkHyper('weightDecay', this.weightDecay, this.weightDecay >= 0);
    this.bound = bindParams(params, grads);
    this.expAvg = allocSlot(this.bound);
    this.expAvgSq = allocSlot(this.bound);
  }

  get stepCount(): number {
    return this.steps;
  }

  step(): void {
    const t = this.steps + 1;
    const { lr, beta1, beta2, eps, weightDecay: wd } = this;
    const decoupled = this.kind === 'adamw';
    const stepSize = lr / (1 - Math.pow(beta1, t));
    const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
    const decay = 1 - lr * wd;
    for (let k = 0; k < this.bound.length; k++) {
      const { p, g } = this.bound[k]!;
      const m = this.expAvg[k]!;
      const v = this.expAvgSq[k]!;
      for (let i = 0; i < p.length; i++) {
        let gi = g[i]!;
        if (decoupled) p[i] = p[i]! * decay;
        else if (wd !== 0) gi += wd * p[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        p[i] = p[i]! - stepSize * (m[i]! / (Math.sqrt(v[i]!) / bc2Sqrt + eps));
      }
    }
    this.steps = t;
  }

  private slots(): Record<string, A[]> {
    return { exp_avg: this.expAvg, exp_avg_sq: this.expAvgSq };
  }

  exportState(): OptimizerState<A> {
    return { kind: this.kind, step: this.steps, tensors: exportSlots(this.bound, this.slots()) };
  }

  importState(state: OptimizerState): void {
    this.steps = importSlots(this.kind, this.bound, this.slots(), state);
  }
}

export class AdamW<A extends FloatArray = FloatArray> extends Adam<A> {
  constructor(params: NamedTensors<A>, grads: NamedTensors<A>, options: AdamOptions) {
    super(params, grads, options, true);
  }
}

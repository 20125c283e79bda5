/**
 * torch.optim.RMSprop (PyTorch 1.13 formulas):
 *   g = g + wd·p
 *   s = α·s + (1 − α)·g²
 *   centered: ḡ = α·ḡ + (1 − α)·g;  d = √(s − ḡ²) + ε      otherwise d = √s + ε
 *   momentum μ > 0: buf = μ·buf + g/d;  p = p − lr·buf      otherwise p = p − lr·g/d
 */
import type { FloatArray, NamedTensors } from '../tensor';
import { allocSlot, bindParams, checkHyper, exportSlots, importSlots, type BoundParam, type Optimizer, type OptimizerState } from './optimizer';

export interface RmspropOptions {
  lr: number;
  alpha?: number;
  eps?: number;
  momentum?: number;
  centered?: boolean;
  weightDecay?: number;
}

export class Rmsprop<A extends FloatArray = FloatArray> implements Optimizer<A> {
  readonly kind = 'rmsprop' as const;
  lr: number;
  readonly alpha: number;
  readonly eps: number;
  readonly momentum: number;
  readonly centered: boolean;
  readonly weightDecay: number;
  private steps = 0;
  private readonly bound: BoundParam<A>[];
  private readonly squareAvg: A[];
  private readonly gradAvg: A[];
  private readonly buf: A[];

  constructor(params: NamedTensors<A>, grads: NamedTensors<A>, options: RmspropOptions) {
    this.lr = options.lr;
    this.alpha = options.alpha ?? 0.99;
    this.eps = options.eps ?? 1e-8;
    this.momentum = options.momentum ?? 0;
    this.centered = options.centered ?? false;
    this.weightDecay = options.weightDecay ?? 0;
    checkHyper('lr', this.lr, this.lr >= 0);
    checkHyper('alpha', this.alpha, this.alpha >= 0);
    checkHyper('eps', this.eps, this.eps >= 0);
    checkHyper('momentum', this.momentum, this.momentum >= 0);
    checkHyper('weightDecay', this.weightDecay, this.weightDecay >= 0);
    this.bound = bindParams(params, grads);
    this.squareAvg = allocSlot(this.bound);
    this.gradAvg = this.centered ? allocSlot(this.bound) : [];
    this.buf = this.momentum > 0 ? allocSlot(this.bound) : [];
  }

  get stepCount(): number {
    return this.steps;
  }

  step(): void {
    const { lr, alpha, eps, momentum: mu, weightDecay: wd } = this;
    for (let k = 0; k < this.bound.length; k++) {
      const { p, g } = this.bound[k]!;
      const s = this.squareAvg[k]!;
      const gAvg = this.gradAvg[k];
      const buf = this.buf[k];
      for (let i = 0; i < p.length; i++) {
        let gi = g[i]!;
        if (wd !== 0) gi += wd * p[i]!;
        s[i] = alpha * s[i]! + (1 - alpha) * gi * gi;
        let d: number;
        if (gAvg !== undefined) {
          gAvg[i] = alpha * gAvg[i]! + (1 - alpha) * gi;
          d = Math.sqrt(s[i]! - gAvg[i]! * gAvg[i]!) + eps;
        } else {
          d = Math.sqrt(s[i]!) + eps;
        }
        if (buf !== undefined) {
          buf[i] = mu * buf[i]! + gi / d;
          p[i] = p[i]! - lr * buf[i]!;
        } else {
          p[i] = p[i]! - lr * (gi / d);
        }
      }
    }
    this.steps += 1;
  }

  private slots(): Record<string, A[]> {
    const slots: Record<string, A[]> = { square_avg: this.squareAvg };
    if (this.momentum > 0) slots.momentum_buffer = this.buf;
    if (this.centered) slots.grad_avg = this.gradAvg;
    return slots;
  }

  exportState(): OptimizerState<A> {
    return { kind: this.kind, step: this.steps, tensors: exportSlots(this.bound, this.slots()) };
  }

  importState(state: OptimizerState): void {
    this.steps = importSlots(this.kind, this.bound, this.slots(), state);
  }
}

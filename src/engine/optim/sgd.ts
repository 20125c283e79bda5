/**
 * torch.optim.SGD (PyTorch 1.13 formulas):
 *   d = g + wd·p
 *   buf = d on the first step, else μ·buf + (1 − dampening)·d
 *   d = d + μ·buf (nesterov) or buf
 *   p = p − lr·d
 */
import type { Kernels } from '../kernels/kernels';
import { tsKernels } from '../kernels/ts-kernels';
import type { FloatArray, NamedTensors } from '../tensor';
import { allocSlot, bindParams, checkHyper, exportSlots, importSlots, type BoundParam, type Optimizer, type OptimizerState } from './optimizer';

export interface SgdOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

export class Sgd<A extends FloatArray = FloatArray> implements Optimizer<A> {
  readonly kind = 'sgd' as const;
  lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  private steps = 0;
  private readonly bound: BoundParam<A>[];
  private readonly buf: A[];
  private readonly kernels: Kernels;

  /** `kernels` runs plain SGD's update (p ← p − lr·g, d2l's `sgd`); momentum and weight decay run here. */
  constructor(params: NamedTensors<A>, grads: NamedTensors<A>, options: SgdOptions, kernels: Kernels = tsKernels) {
    this.kernels = kernels;
    this.lr = options.lr;
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.weightDecay = options.weightDecay ?? 0;
    this.nesterov = options.nesterov ?? false;
    checkHyper('lr', this.lr, this.lr >= 0);
    checkHyper('momentum', this.momentum, this.momentum >= 0);
    checkHyper('dampening', this.dampening, true);
    checkHyper('weightDecay', this.weightDecay, this.weightDecay >= 0);
    // PyTorch: "Nesterov momentum requires a momentum and zero dampening"
    if (this.nesterov) checkHyper('nesterov momentum', this.momentum, this.momentum > 0 && this.dampening === 0);
    this.bound = bindParams(params, grads);
    this.buf = this.momentum !== 0 ? allocSlot(this.bound) : [];
  }

  get stepCount(): number {
    return this.steps;
  }

  step(): void {
    const { lr, momentum: mu, weightDecay: wd, nesterov } = this;
    const damp = 1 - this.dampening;
    const first = this.steps === 0;
    if (mu === 0 && wd === 0) {
      for (const { p, g } of this.bound) this.kernels.axpy(p, g, p.length, -lr);
      this.steps += 1;
      return;
    }
    for (let k = 0; k < this.bound.length; k++) {
      const { p, g } = this.bound[k]!;
      const buf = this.buf[k];
      for (let i = 0; i < p.length; i++) {
        let d = g[i]!;
        if (wd !== 0) d += wd * p[i]!;
        if (buf !== undefined) {
          const b = first ? d : mu * buf[i]! + damp * d;
          buf[i] = b;
          d = nesterov ? d + mu * buf[i]! : buf[i]!;
        }
        p[i] = p[i]! - lr * d;
      }
    }
    this.steps += 1;
  }

  private slots(): Record<string, A[]> {
    return this.momentum !== 0 ? { momentum_buffer: this.buf } : {};
  }

  exportState(): OptimizerState<A> {
    return { kind: this.kind, step: this.steps, tensors: exportSlots(this.bound, this.slots()) };
  }

  importState(state: OptimizerState): void {
    this.steps = importSlots(this.kind, this.bound, this.slots(), state);
  }
}

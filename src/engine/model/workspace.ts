import { gateCount } from '../cells/cell-weights';
import { gruStepBackward, gruStepForward } from '../cells/gru';
import { lstmStepBackward, lstmStepForward } from '../cells/lstm';
import { rnnStepBackward, rnnStepForward } from '../cells/rnn';
import type { Rng } from '../rng';
import type { FloatArray } from '../tensor';
import { layerInputSize } from './config';
import type { RnnModel } from './rnn-model';
import { createRecurrentState, type RecurrentState } from './state';

export interface ForwardOptions<A extends FloatArray> {
  /** Next-token ids (T·B, time-major); without them forward computes logits only and returns NaN. */
  targets?: Int32Array;
  /** Initial state (L, B, H); omitted or null means zeros. */
  initial?: RecurrentState<A> | null;
  /** Receives the final state; may be the same object as `initial` to carry state to the next minibatch. */
  final?: RecurrentState<A>;
  /** Dropout between layers is active only when training (mask drawn from `rng`). */
  training?: boolean;
  rng?: Rng;
  /** Steps to run, ≤ the allocated numSteps (default: all of them). */
  numSteps?: number;
}

/** Per-layer buffers; `…T[t]` are views of one step (B rows), made once here. */
interface LayerBuffers<A extends FloatArray> {
  inputSize: number;
  /** x·W_ihᵀ + b_ih for all steps, then activated gates (T·B, G·H); for RNN a view of hOut. */
  gates: A;
  /** GRU only: h·W_hhᵀ + b_hh (T·B, 3H). */
  gh: A | null;
  /** h_0 … h_T ((T+1)·B, H); hPrevAll = rows of h_0…h_{T−1}, hOut = rows of h_1…h_T. */
  h: A;
  hPrevAll: A;
  hOut: A;
  c: A | null;
  tanhC: A | null;
  /** Input of this layer after dropout (layers > 0 when dropout > 0), and its inverted-dropout mask. */
  dropped: A | null;
  mask: A | null;
  dGates: A;
  dGh: A | null;
  /** ∂L/∂h_t for t = 1…T, gathered from the layer above (or the output layer) then the step after. */
  dOut: A;
  dhPrev: A;
  dc: A | null;
  gatesT: A[];
  ghT: A[];
  hT: A[];
  cT: A[];
  tanhCT: A[];
  dGatesT: A[];
  dGhT: A[];
  dOutT: A[];
}

/**
 * Forward and backpropagation through time for one model, over up to T steps of exactly B
 * sequences. All buffers are allocated here, once; forward/backward allocate nothing per step.
 */
export class Workspace<A extends FloatArray> {
  readonly numSteps: number;
  readonly batch: number;
  /**
   * (T·B, V) logits of the last forward, time-major. `backward()` turns them into ∂L/∂logits in
   * place (a second (T·B, V) buffer would be the workspace's largest for a word vocabulary).
   */
  readonly logits: A;
  /** ∂L/∂(initial state) written by backward. */
  readonly dInitial: RecurrentState<A>;
  /** Mean cross-entropy of the last forward (NaN without targets). */
  loss = NaN;
  /** Steps run by the last forward. */
  steps = 0;

  private readonly model: RnnModel<A>;
  private readonly layers: LayerBuffers<A>[];
  private readonly embedded: A | null;
  private readonly dEmbedded: A | null;
  /** ∂L/∂outputs given to `backwardFromOutputs`, allocated on its first call. */
  private dOutputs: A | null = null;
  /** Log-sum-exp of each row of the logits, for the loss and its gradient. */
  private readonly lse: A;
  /** Copies of the last forward's ids and targets, so the caller may reuse its arrays before backward. */
  private readonly ids: Int32Array;
  private readonly targetIds: Int32Array;
  private targets: Int32Array | null = null;
  private droppedOut = false;
  /** `backward()` has turned the logits into ∂L/∂logits; the next forward recomputes them. */
  private logitsAreGradient = false;
  /** The last forward took float rows (`forwardInputs`) rather than token ids. */
  private floatInput = false;

  constructor(model: RnnModel<A>, numSteps: number, batch: number) {
    if (!Number.isInteger(numSteps) || numSteps < 1 || !Number.isInteger(batch) || batch < 1) {
      throw new RangeError(`workspace needs positive integer steps and batch, got ${numSteps} × ${batch}`);
    }
    this.model = model;
    this.numSteps = numSteps;
    this.batch = batch;
    const { cell, vocabSize: V, embeddingDim: E, hiddenSize: H, numLayers: L, dropout } = model.config;
    const alloc = model.allocate;
    const T = numSteps, B = batch, N = T * B, G = gateCount(cell) * H;
    const steps = (a: A, width: number, from: number, count: number): A[] =>
      Array.from({ length: count }, (_, t) => a.subarray((from + t) * B * width, (from + t + 1) * B * width) as A);
    const isLstm = cell === 'lstm', isGru = cell === 'gru';

    this.layers = [];
    for (let l = 0; l < L; l++) {
      const h = alloc((T + 1) * B * H);
      const hOut = h.subarray(B * H) as A;
      const gates = cell === 'rnn' ? hOut : alloc(N * G);
      const gh = isGru ? alloc(N * G) : null;
      const c = isLstm ? alloc((T + 1) * B * H) : null;
      const tanhC = isLstm ? alloc(N * H) : null;
      const dGates = alloc(N * G);
      const dGh = isGru ? alloc(N * G) : null;
      const dOut = alloc(N * H);
      const withDropout = l > 0 && dropout > 0;
      this.layers.push({
        inputSize: layerInputSize(model.config, l),
        gates, gh, h, hPrevAll: h.subarray(0, N * H) as A, hOut, c, tanhC,
        dropped: withDropout ? alloc(N * H) : null,
        mask: withDropout ? alloc(N * H) : null,
        dGates, dGh, dOut,
        dhPrev: alloc(B * H),
        dc: isLstm ? alloc(B * H) : null,
        gatesT: steps(gates, G, 0, T),
        ghT: gh ? steps(gh, G, 0, T) : [],
        hT: steps(h, H, 0, T + 1),
        cT: c ? steps(c, H, 0, T + 1) : [],
        tanhCT: tanhC ? steps(tanhC, H, 0, T) : [],
        dGatesT: steps(dGates, G, 0, T),
        dGhT: dGh ? steps(dGh, G, 0, T) : [],
        dOutT: steps(dOut, H, 0, T),
      });
    }
    this.embedded = E > 0 ? alloc(N * E) : null;
    this.dEmbedded = E > 0 ? alloc(N * E) : null;
    this.logits = alloc(N * V);
    this.lse = alloc(N);
    this.ids = new Int32Array(N);
    this.targetIds = new Int32Array(N);
    this.dInitial = createRecurrentState(model.dtype, L, B, H, isLstm);
  }

  /** Whether the last forward had targets (so `loss` and `backward` are meaningful). */
  get hasTargets(): boolean {
    return this.targets !== null;
  }

  /** h_0 … h_T of a layer as ((T+1)·B, H), valid after forward. */
  hidden(layer: number): A {
    return this.layers[layer]!.h;
  }

  /** c_0 … c_T of an LSTM layer, or null. */
  cell(layer: number): A | null {
    return this.layers[layer]!.c;
  }

  /**
   * Activated gates of a layer (T·B, G·H) after forward (LSTM i f g o, GRU r z n; for RNN its
   * h_1…h_T), and ∂L/∂(their pre-activations) after backward: for the inspector (engine/inspect).
   */
  gates(layer: number): A {
    return this.layers[layer]!.gates;
  }

  gateGrads(layer: number): A {
    return this.layers[layer]!.dGates;
  }

  /**
   * Run the model over `ids` (T·B token ids, time-major: ids[t·B + b]).
   * Returns the mean cross-entropy against `targets`, or NaN when none are given.
   */
  forward(ids: Int32Array, options: ForwardOptions<A> = {}): number {
    const model = this.model;
    const k = model.kernels;
    const { vocabSize: V, embeddingDim: E, numLayers: L, dropout } = model.config;
    const B = this.batch;
    const T = options.numSteps ?? this.numSteps;
    if (!Number.isInteger(T) || T < 1 || T > this.numSteps) throw new RangeError(`numSteps ${T} outside 1..${this.numSteps}`);
    const N = T * B;
    if (ids.length < N) throw new RangeError(`expected ${N} token ids, got ${ids.length}`);
    for (let i = 0; i < N; i++) {
      const id = ids[i]!;
      if (!(id >= 0 && id < V)) throw new RangeError(`token id ${id} at ${i} is outside the vocabulary (size ${V})`);
    }
    const given = options.targets ?? null;
    if (given) {
      if (given.length < N) throw new RangeError(`expected ${N} targets, got ${given.length}`);
      for (let i = 0; i < N; i++) {
        const id = given[i]!;
        if (!(id >= 0 && id < V)) throw new RangeError(`target ${id} at ${i} is outside the vocabulary (size ${V})`);
      }
    }
    const initial = options.initial ?? null;
    if (initial) this.checkState(initial);
    if (options.final) this.checkState(options.final);
    const training = options.training ?? false;
    const dropping = training && dropout > 0 && L > 1;
    if (dropping && !options.rng) throw new RangeError('training with dropout needs an rng');
    this.ids.set(ids.subarray(0, N));
    if (given) this.targetIds.set(given.subarray(0, N));
    const targets = given ? this.targetIds : null;
    this.targets = targets;
    this.logitsAreGradient = false;
    this.loss = NaN;
    this.steps = T;
    this.droppedOut = dropping;
    this.floatInput = false;

    let x: A | null = null; // layer input (N, I); null means one-hot ids
    if (E > 0) {
      k.gatherRows(this.embedded!, model.param('embedding.weight'), this.ids, N, E);
      x = this.embedded;
    }
    this.runLayers(x, T, options, dropping);
    if (targets) {
      // mean over rows of −ln softmax(logits)[target] = lse − logit of the target, summed in float64
      k.logSumExpRows(this.lse, this.logits, N, V);
      let total = 0;
      for (let r = 0; r < N; r++) total += this.lse[r]! - this.logits[r * V + targets[r]!]!;
      this.loss = total / N;
    }
    return this.loss;
  }

  /**
   * Run the recurrent stack and the output layer over float input rows instead of token ids:
   * `inputs` is (T·B, E) time-major, fed to layer 0 where the embedding's rows would go (the
   * embedding table itself is not used). Only for models with embeddingDim > 0. Computes
   * `logits` (the output layer's values) and no loss; follow with `backwardFromOutputs`.
   * Used by the forecaster (engine/forecast), whose head is the output layer.
   */
  forwardInputs(inputs: ArrayLike<number>, options: Omit<ForwardOptions<A>, 'targets'> = {}): void {
    const { embeddingDim: E, numLayers: L, dropout } = this.model.config;
    if (E === 0) throw new RangeError('float inputs need a model whose first layer takes embeddingDim-wide rows; this one takes one-hot ids');
    const B = this.batch;
    const T = options.numSteps ?? this.numSteps;
    if (!Number.isInteger(T) || T < 1 || T > this.numSteps) throw new RangeError(`numSteps ${T} outside 1..${this.numSteps}`);
    const N = T * B;
    if (inputs.length < N * E) throw new RangeError(`expected ${N * E} input values (${T} steps × ${B} × ${E}), got ${inputs.length}`);
    const initial = options.initial ?? null;
    if (initial) this.checkState(initial);
    if (options.final) this.checkState(options.final);
    const dropping = (options.training ?? false) && dropout > 0 && L > 1;
    if (dropping && !options.rng) throw new RangeError('training with dropout needs an rng');
    const x = this.embedded!;
    for (let i = 0; i < N * E; i++) x[i] = inputs[i]!;
    this.targets = null;
    this.logitsAreGradient = false;
    this.loss = NaN;
    this.steps = T;
    this.droppedOut = dropping;
    this.floatInput = true;
    this.runLayers(x, T, options, dropping);
  }

  /** Layers 0…L−1 over the layer-0 input `x` ((T·B, I), or null for one-hot ids), then the output layer and the final state. */
  private runLayers(x: A | null, T: number, options: Omit<ForwardOptions<A>, 'targets'>, dropping: boolean): void {
    const model = this.model;
    const k = model.kernels;
    const { cell, vocabSize: V, hiddenSize: H, numLayers: L, nonlinearity, dropout } = model.config;
    const B = this.batch, N = T * B, G = gateCount(cell) * H;
    const initial = options.initial ?? null;
    for (let l = 0; l < L; l++) {
      const buf = this.layers[l]!;
      const w = model.layers[l]!;
      const I = buf.inputSize;
      if (l > 0) {
        const below = this.layers[l - 1]!;
        if (buf.dropped) {
          if (dropping) {
            const mask = buf.mask!, keep = 1 - dropout, scale = 1 / keep, rng = options.rng!;
            for (let i = 0; i < N * H; i++) mask[i] = rng.nextFloat() < keep ? scale : 0;
            k.mul(buf.dropped, below.hOut, mask, N * H);
          } else {
            buf.dropped.set(below.hOut.subarray(0, N * H));
          }
          x = buf.dropped;
        } else {
          x = below.hOut;
        }
      }
      // input half of every gate, all steps at once: gates = x·W_ihᵀ + b_ih
      buf.gates.fill(0, 0, N * G);
      k.addBias(buf.gates, w.bIh, N, G);
      if (x) k.gemmXWt(buf.gates, x, w.wIh, N, I, G);
      else k.gatherColsAdd(buf.gates, w.wIh, this.ids, N, G, V);

      const slice = l * B * H;
      if (initial) buf.hT[0]!.set(initial.h.subarray(slice, slice + B * H));
      else buf.hT[0]!.fill(0);
      if (buf.c) {
        if (initial) buf.cT[0]!.set(initial.c!.subarray(slice, slice + B * H));
        else buf.cT[0]!.fill(0);
      }
      for (let t = 0; t < T; t++) {
        if (cell === 'rnn') rnnStepForward(k, w, buf.hT[t]!, buf.hT[t + 1]!, B, H, nonlinearity);
        else if (cell === 'gru') gruStepForward(k, w, buf.hT[t]!, buf.gatesT[t]!, buf.ghT[t]!, buf.hT[t + 1]!, B, H);
        else lstmStepForward(k, w, buf.hT[t]!, buf.cT[t]!, buf.gatesT[t]!, buf.cT[t + 1]!, buf.tanhCT[t]!, buf.hT[t + 1]!, B, H);
      }
    }

    const top = this.layers[L - 1]!;
    this.logits.fill(0, 0, N * V);
    k.addBias(this.logits, model.param('output.bias'), N, V);
    k.gemmXWt(this.logits, top.hOut, model.param('output.weight'), N, H, V);

    if (options.final) {
      const f = options.final;
      for (let l = 0; l < L; l++) {
        const buf = this.layers[l]!;
        f.h.set(buf.hT[T]!, l * B * H);
        if (f.c) f.c.set(buf.cT[T]!, l * B * H);
      }
    }
  }

  /**
   * Backpropagation through all steps and layers of the last forward, for its mean cross-entropy.
   * Adds every parameter gradient into `model.grads` (zero them first) and writes ∂L/∂(initial state)
   * into `dInitial`.
   */
  backward(): void {
    const targets = this.targets;
    if (!targets) throw new Error('backward needs a forward with targets');
    if (this.logitsAreGradient) throw new Error('backward needs a new forward: the last one\'s logits became their gradient');
    const V = this.model.config.vocabSize, N = this.steps * this.batch;
    this.model.kernels.softmaxCrossEntropyBackward(this.logits, this.logits, this.lse, targets, N, V, 1 / N);
    this.logitsAreGradient = true; // a second backward would read gradients as logits
    this.backpropagate(this.logits);
  }

  /**
   * Backpropagation from a given ∂L/∂logits ((T·B, V), e.g. a regression loss's gradient) through
   * the output layer and every step and layer of the last forward. Adds into `model.grads`, writes
   * `dInitial` and, after `forwardInputs`, ∂L/∂inputs into `dInputs` (the embedding gets nothing).
   */
  backwardFromOutputs(dOutputs: ArrayLike<number>): void {
    if (this.steps === 0) throw new Error('backward needs a forward first');
    const N = this.steps * this.batch * this.model.config.vocabSize;
    if (dOutputs.length < N) throw new RangeError(`expected ${N} output gradients, got ${dOutputs.length}`);
    this.dOutputs ??= this.model.allocate(this.numSteps * this.batch * this.model.config.vocabSize);
    for (let i = 0; i < N; i++) this.dOutputs[i] = dOutputs[i]!;
    this.backpropagate(this.dOutputs);
  }

  /** ∂L/∂(float inputs) (T·B, E) after `forwardInputs` + `backwardFromOutputs`; null for one-hot models. */
  get dInputs(): A | null {
    return this.dEmbedded;
  }

  /** Backpropagation from ∂L/∂logits `dLogits` ((T·B, V)) through the output layer and every step and layer. */
  private backpropagate(dLogits: A): void {
    const model = this.model;
    const k = model.kernels;
    const { cell, vocabSize: V, embeddingDim: E, hiddenSize: H, numLayers: L, nonlinearity } = model.config;
    const B = this.batch, T = this.steps, N = T * B, G = gateCount(cell) * H;
    const ids = this.ids;
    const top = this.layers[L - 1]!;
    k.gemmDyTX(model.grad('output.weight'), dLogits, top.hOut, N, V, H);
    k.sumRows(model.grad('output.bias'), dLogits, N, V);
    top.dOut.fill(0, 0, N * H);
    k.gemmDyW(top.dOut, dLogits, model.param('output.weight'), N, V, H);

    for (let l = L - 1; l >= 0; l--) {
      const buf = this.layers[l]!;
      const w = model.layers[l]!;
      const g = model.layerGrads[l]!;
      const dhPrev = buf.dhPrev;
      dhPrev.fill(0);
      buf.dc?.fill(0);
      for (let t = T - 1; t >= 0; t--) {
        const dh = buf.dOutT[t]!;
        k.addInto(dh, dhPrev, B * H); // ∂L/∂h_t = from above + from step t+1
        if (cell === 'rnn') rnnStepBackward(k, w, buf.hT[t + 1]!, dh, buf.dGatesT[t]!, dhPrev, B, H, nonlinearity);
        else if (cell === 'gru') gruStepBackward(k, w, buf.gatesT[t]!, buf.ghT[t]!, buf.hT[t]!, dh, buf.dGatesT[t]!, buf.dGhT[t]!, dhPrev, B, H);
        else lstmStepBackward(k, w, buf.gatesT[t]!, buf.cT[t]!, buf.tanhCT[t]!, dh, buf.dc!, buf.dGatesT[t]!, dhPrev, B, H);
      }
      const slice = l * B * H;
      this.dInitial.h.set(dhPrev, slice);
      if (buf.dc) this.dInitial.c!.set(buf.dc, slice);

      // weight gradients once per sequence, inner dimension steps × batch
      const dGh = buf.dGh ?? buf.dGates;
      k.gemmDyTX(g.wHh, dGh, buf.hPrevAll, N, G, H);
      k.sumRows(g.bHh, dGh, N, G);
      k.sumRows(g.bIh, buf.dGates, N, G);
      if (l === 0 && E === 0) {
        k.scatterColsAdd(g.wIh, buf.dGates, ids, N, G, V);
      } else if (l === 0) {
        k.gemmDyTX(g.wIh, buf.dGates, this.embedded!, N, G, E);
        const dx = this.dEmbedded!;
        dx.fill(0, 0, N * E);
        k.gemmDyW(dx, buf.dGates, w.wIh, N, G, E);
        if (!this.floatInput) k.scatterRowsAdd(model.grad('embedding.weight'), dx, ids, N, E);
      } else {
        const below = this.layers[l - 1]!;
        k.gemmDyTX(g.wIh, buf.dGates, buf.dropped ?? below.hOut, N, G, H);
        below.dOut.fill(0, 0, N * H);
        k.gemmDyW(below.dOut, buf.dGates, w.wIh, N, G, H);
        if (this.droppedOut) k.mul(below.dOut, below.dOut, buf.mask!, N * H);
      }
    }
  }

  private checkState(s: RecurrentState<A>): void {
    const { numLayers, hiddenSize, cell } = this.model.config;
    if (s.numLayers !== numLayers || s.batch !== this.batch || s.hiddenSize !== hiddenSize || (s.c !== null) !== (cell === 'lstm')
      || s.h.length !== numLayers * this.batch * hiddenSize) {
      throw new RangeError(`state (${s.numLayers}, ${s.batch}, ${s.hiddenSize}) does not fit (${numLayers}, ${this.batch}, ${hiddenSize}) for ${cell}`);
    }
  }
}

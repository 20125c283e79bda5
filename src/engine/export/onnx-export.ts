/**
 * The ONNX export (opset 14): one graph that runs any number of steps for any batch and returns
 * the state, so a consumer generates step by step by feeding `hn` (and `cn`) back as `h0` (`c0`).
 *
 *   input_ids int64 (seq, batch), h0 float (layers, batch, hidden) [, c0 for LSTM]
 *   → logits float (seq, batch, vocab), hn (layers, batch, hidden) [, cn]
 *
 * Inputs become vectors by Gather on the embedding table, or by OneHot for one-hot models. Each
 * layer is one ONNX RNN/GRU/LSTM operator whose weights are PyTorch's with the gate blocks
 * reordered: ONNX LSTM is i, o, f, c (PyTorch i, f, g, o); ONNX GRU is z, r, h (PyTorch r, z, n)
 * and `linear_before_reset = 1` is PyTorch's reset-after candidate. The vocabulary and config
 * travel in the model's metadata_props (`rnnlab.vocab`, `rnnlab.config`).
 */
import { gateCount, type CellKind, type Nonlinearity } from '../cells/cell-weights';
import { layerInputSize } from '../model/config';
import { ExportError } from './export-error';
import type { ExportableModel } from './exportable-model';
import { AttributeType, ModelProto, TensorDataType } from './onnx-proto';
import { pytorchConfigJson, vocabFileJson } from './pytorch-format';

export const ONNX_OPSET = 14;
export const IR_VERSION = 7;

/** Gate block order of the ONNX operator, as indices of PyTorch's blocks. */
const ONNX_GATE_ORDER = { rnn: [0], gru: [1, 0, 2], lstm: [0, 3, 1, 2] } as const;
export const OP_TYPE = { rnn: 'RNN', gru: 'GRU', lstm: 'LSTM' } as const;

export interface Tensor {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}

export function floatTensor(name: string, dims: number[], data: Float32Array): Tensor {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
  return { name, dims, data_type: TensorDataType.FLOAT, raw_data: bytes };
}

export function int64Tensor(name: string, dims: number[], values: number[]): Tensor {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return { name, dims, data_type: TensorDataType.INT64, raw_data: bytes };
}

/** Rows of `w` (gates·H, cols) regrouped from PyTorch's gate order into ONNX's. */
function reorderGates(w: Float32Array, order: readonly number[], H: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  const block = H * cols;
  order.forEach((src, dst) => out.set(w.subarray(src * block, (src + 1) * block), dst * block));
  return out;
}

export function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c]!;
  return out;
}

type Dim = number | string;
export function valueInfo(name: string, elemType: number, dims: Dim[]) {
  return {
    name,
    type: { tensor_type: { elem_type: elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } },
  };
}

export function node(op_type: string, inputs: string[], outputs: string[], attribute: object[] = []) {
  return { op_type, input: inputs, output: outputs, name: `${outputs[0]}_${op_type}`, attribute };
}

export const intAttr = (name: string, i: number) => ({ name, type: AttributeType.INT, i });
const stringsAttr = (name: string, values: string[]) => ({ name, type: AttributeType.STRINGS, strings: values.map((v) => new TextEncoder().encode(v)) });

/** Nodes and initializers of one ONNX graph under construction. */
export interface OnnxGraphParts {
  nodes: object[];
  initializer: Tensor[];
}

export interface RecurrentStackSpec {
  cell: CellKind;
  hiddenSize: number;
  numLayers: number;
  nonlinearity: Nonlinearity;
  /** Width of the rows layer 0 reads. */
  inputSize: number;
}

/**
 * Appends the stacked recurrent layers reading `x` (seq, batch, inputSize), with the graph
 * inputs `h0` [, `c0`] sliced per layer, the graph outputs `hn` [, `cn`] concatenated, and the
 * PyTorch weights `rnn.*` read through `weight`. Returns the names of the top layer's outputs
 * at every step (seq, batch, hidden) and its final state (1, batch, hidden).
 */
export function appendRecurrentStack(g: OnnxGraphParts, spec: RecurrentStackSpec, weight: (name: string) => Float32Array, x: string): { outputs: string; topHn: string } {
  const { cell, hiddenSize: H, numLayers: L, nonlinearity } = spec;
  const G = gateCount(cell) * H;
  const lstm = cell === 'lstm';
  const { nodes, initializer } = g;
  initializer.push(int64Tensor('axes.1', [1], [1]));

  const order = ONNX_GATE_ORDER[cell];
  const finalH: string[] = [];
  const finalC: string[] = [];
  for (let k = 0; k < L; k++) {
    const I = k === 0 ? spec.inputSize : H;
    const W = reorderGates(weight(`rnn.weight_ih_l${k}`), order, H, I);
    const R = reorderGates(weight(`rnn.weight_hh_l${k}`), order, H, H);
    const B = new Float32Array(2 * G);
    B.set(reorderGates(weight(`rnn.bias_ih_l${k}`), order, H, 1), 0);
    B.set(reorderGates(weight(`rnn.bias_hh_l${k}`), order, H, 1), G);
    const p = `l${k}`;
    initializer.push(floatTensor(`${p}.W`, [1, G, I], W), floatTensor(`${p}.R`, [1, G, H], R), floatTensor(`${p}.B`, [1, 2 * G], B));
    initializer.push(int64Tensor(`${p}.start`, [1], [k]), int64Tensor(`${p}.end`, [1], [k + 1]));
    const axes0 = 'axes.0';
    if (k === 0) initializer.push(int64Tensor(axes0, [1], [0]));
    nodes.push(node('Slice', ['h0', `${p}.start`, `${p}.end`, axes0], [`${p}.h0`]));
    if (lstm) nodes.push(node('Slice', ['c0', `${p}.start`, `${p}.end`, axes0], [`${p}.c0`]));

    const attrs: object[] = [intAttr('hidden_size', H)];
    if (cell === 'rnn') attrs.push(stringsAttr('activations', [nonlinearity === 'relu' ? 'Relu' : 'Tanh']));
    if (cell === 'gru') attrs.push(intAttr('linear_before_reset', 1));
    const inputs = [x, `${p}.W`, `${p}.R`, `${p}.B`, '', `${p}.h0`];
    const outputs = [`${p}.Y`, `${p}.hn`];
    if (lstm) {
      inputs.push(`${p}.c0`);
      outputs.push(`${p}.cn`);
      finalC.push(`${p}.cn`);
    }
    finalH.push(`${p}.hn`);
    nodes.push(node(OP_TYPE[cell], inputs, outputs, attrs));
    // Y is (seq, num_directions = 1, batch, H)
    x = `${p}.out`;
    nodes.push(node('Squeeze', [`${p}.Y`, 'axes.1'], [x]));
  }
  nodes.push(node('Concat', finalH, ['hn'], [intAttr('axis', 0)]));
  if (lstm) nodes.push(node('Concat', finalC, ['cn'], [intAttr('axis', 0)]));

  return { outputs: x, topHn: finalH[L - 1]! };
}

export function buildOnnxModel(m: ExportableModel): Uint8Array {
  const { cell, vocabSize: V, embeddingDim: E, hiddenSize: H, numLayers: L, nonlinearity } = m.config;
  const lstm = cell === 'lstm';
  const weight = (name: string): Float32Array => {
    const t = m.weights.get(name);
    if (!t) throw new ExportError('MissingTensor', { name });
    return t.data;
  };
  const initializer: Tensor[] = [];
  const nodes: object[] = [];

  const x = 'x0';
  if (E > 0) {
    initializer.push(floatTensor('embedding.weight', [V, E], weight('embedding.weight')));
    nodes.push(node('Gather', ['embedding.weight', 'input_ids'], [x], [intAttr('axis', 0)]));
  } else {
    initializer.push(int64Tensor('onehot.depth', [1], [V]));
    initializer.push(floatTensor('onehot.values', [2], new Float32Array([0, 1])));
    nodes.push(node('OneHot', ['input_ids', 'onehot.depth', 'onehot.values'], [x], [intAttr('axis', -1)]));
  }
  const stack = appendRecurrentStack({ nodes, initializer }, { cell, hiddenSize: H, numLayers: L, nonlinearity, inputSize: layerInputSize(m.config, 0) }, weight, x);
  initializer.push(floatTensor('output.weight_t', [H, V], transpose(weight('output.weight'), V, H)));
  initializer.push(floatTensor('output.bias', [V], weight('output.bias')));
  nodes.push(node('MatMul', [stack.outputs, 'output.weight_t'], ['logits.matmul']));
  nodes.push(node('Add', ['logits.matmul', 'output.bias'], ['logits']));

  const FLOAT = TensorDataType.FLOAT;
  const inputs = [valueInfo('input_ids', TensorDataType.INT64, ['seq', 'batch']), valueInfo('h0', FLOAT, [L, 'batch', H])];
  const outputs = [valueInfo('logits', FLOAT, ['seq', 'batch', V]), valueInfo('hn', FLOAT, [L, 'batch', H])];
  if (lstm) {
    inputs.push(valueInfo('c0', FLOAT, [L, 'batch', H]));
    outputs.push(valueInfo('cn', FLOAT, [L, 'batch', H]));
  }

  const model = ModelProto.fromObject({
    ir_version: IR_VERSION,
    producer_name: 'RNN Lab',
    producer_version: '1',
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    doc_string: `${OP_TYPE[cell]} language model: ${L} layer(s) of ${H} units, vocabulary ${V}, ${E > 0 ? `embedding ${E}` : 'one-hot inputs'}.`,
    graph: { name: `rnnlab_${cell}`, node: nodes, initializer, input: inputs, output: outputs },
    metadata_props: [
      { key: 'rnnlab.config', value: JSON.stringify(pytorchConfigJson(m.config)) },
      { key: 'rnnlab.vocab', value: JSON.stringify(vocabFileJson(m.vocab)) },
    ],
  });
  return ModelProto.encode(model).finish();
}

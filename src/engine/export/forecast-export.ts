/**
 * Exports of a trained forecaster (src/engine/forecast).
 *
 * PyTorch: `model.safetensors`, the state_dict of a module with children `rnn` (nn.RNN/GRU/LSTM,
 * batch_first=False, input_size = features) and `head` (nn.Linear(hidden, outputs · horizon)) applied
 * to the last step's output (output j·horizon + h: target j, h + 1 steps after the window), plus `config.json` (constructor arguments, window, horizon and the z-score
 * normalisation fitted on the training split). tests/fixtures/forecast/rnnlab_forecast.py builds
 * that module from config.json.
 *
 * ONNX (opset 14): inputs `x` float32 (seq, batch, features), normalised, and `h0` (layers, batch,
 * hidden) [+ `c0` for LSTM]; outputs `y` (batch, outputs · horizon) = head(top layer's last hidden
 * state), in normalised units, and `hn` [+ `cn`], the state after the last step. Feeding `hn` back
 * as `h0` continues the sequence. To get original units: y_orig[k] = y[k] · std[t] + mean[t], with
 * t = normalization.targets[⌊k / horizon⌋] (also in the model's metadata_props under `rnnlab.config`).
 *
 * Every builder is deterministic: the same model and metadata give the same bytes.
 */
import { encodeSafetensors } from '../formats/safetensors-encode';
import { headSize, type ForecastModel } from '../forecast/forecast-model';
import type { Normalization } from '../forecast/series';
import type { FloatArray } from '../tensor';
import { ExportError } from './export-error';
import {
  appendRecurrentStack, floatTensor, int64Tensor, IR_VERSION, node, OP_TYPE, ONNX_OPSET, transpose, valueInfo, type Tensor,
} from './onnx-export';
import { ModelProto, TensorDataType } from './onnx-proto';
import { prettyJson } from './pytorch-format';

export const FORECAST_CONFIG_FORMAT = 'rnnlab.forecast';

/** What the weights alone do not say: how the series was windowed and normalised. */
export interface ForecastExportMeta {
  /** Input window τ (steps fed per prediction). */
  window: number;
  /** Steps predicted at once after the window (1: the step right after it); must equal the model's horizon. */
  horizon: number;
  /** Per-feature z-score fitted on the training split. */
  normalization: Normalization;
  /** Feature index of each model output, in output order. */
  targets: number[];
  /** Optional column names, one per feature. */
  featureNames?: string[];
}

/** config.json of a forecaster export: snake_case names as in the PyTorch constructors. */
export interface ForecastConfigJson {
  format: typeof FORECAST_CONFIG_FORMAT;
  version: 1;
  cell: 'rnn' | 'gru' | 'lstm';
  input_size: number;
  output_size: number;
  hidden_size: number;
  num_layers: number;
  nonlinearity: 'tanh' | 'relu';
  dropout: number;
  batch_first: false;
  bias: true;
  window: number;
  /** Steps predicted per window: the head has output_size · horizon outputs, output j·horizon + h = target j at h + 1 steps ahead. */
  horizon: number;
  /** output_size · horizon: nn.Linear's out_features and the width of y. */
  head_size: number;
  normalization: {
    kind: 'zscore';
    /** Per input feature, fitted on the training split (population std). */
    mean: number[];
    std: number[];
    /** Feature index of each target: output k in original units is y[k] · std[t] + mean[t], t = targets[⌊k / horizon⌋]. */
    targets: number[];
    feature_names: string[] | null;
  };
  /** The model's output is in normalised units (see normalization). */
  output_units: 'normalized';
}

export type ForecastExportFormat = 'pytorch' | 'onnx';

export interface ForecastExportFile {
  name: string;
  bytes: Uint8Array;
}

function checkMeta(config: ForecastModel<FloatArray>['config'], meta: ForecastExportMeta): void {
  const bad = (field: string, reason: string): never => {
    throw new ExportError('InvalidConfig', { field, reason }, `Forecast export: “${field}” ${reason}.`);
  };
  const F = config.inputSize;
  if (!Number.isInteger(meta.window) || meta.window < 1) bad('window', `must be a positive whole number, got ${meta.window}`);
  if (!Number.isInteger(meta.horizon) || meta.horizon < 1) bad('horizon', `must be a positive whole number, got ${meta.horizon}`);
  if (meta.horizon !== (config.horizon ?? 1)) bad('horizon', `must equal the model's horizon (${config.horizon ?? 1}), got ${meta.horizon}`);
  const { mean, std } = meta.normalization;
  if (mean.length !== F || std.length !== F) bad('normalization', `needs one mean and one std per feature (${F}), got ${mean.length} and ${std.length}`);
  if (mean.some((v) => !Number.isFinite(v))) bad('normalization.mean', 'must hold finite numbers');
  if (std.some((v) => !(Number.isFinite(v) && v > 0))) bad('normalization.std', 'must hold finite positive numbers');
  if (meta.targets.length !== config.outputSize) bad('targets', `must name one feature per predicted target (${config.outputSize}), got ${meta.targets.length}`);
  if (meta.targets.some((t) => !Number.isInteger(t) || t < 0 || t >= F)) bad('targets', `must be feature indices among 0…${F - 1}, got [${meta.targets.join(', ')}]`);
  if (meta.featureNames && meta.featureNames.length !== F) bad('featureNames', `must name each of the ${F} features, got ${meta.featureNames.length}`);
}

export function forecastConfigJson(model: ForecastModel<FloatArray>, meta: ForecastExportMeta): ForecastConfigJson {
  const c = model.config;
  checkMeta(c, meta);
  return {
    format: FORECAST_CONFIG_FORMAT,
    version: 1,
    cell: c.cell,
    input_size: c.inputSize,
    output_size: c.outputSize,
    hidden_size: c.hiddenSize,
    num_layers: c.numLayers,
    nonlinearity: c.nonlinearity,
    dropout: c.dropout,
    batch_first: false,
    bias: true,
    window: meta.window,
    horizon: meta.horizon,
    head_size: headSize(c),
    normalization: {
      kind: 'zscore',
      mean: [...meta.normalization.mean],
      std: [...meta.normalization.std],
      targets: [...meta.targets],
      feature_names: meta.featureNames ? [...meta.featureNames] : null,
    },
    output_units: 'normalized',
  };
}

/** The parameters as float32 in state_dict order, refusing non-finite values. */
function float32Weights(model: ForecastModel<FloatArray>): Map<string, { shape: number[]; data: Float32Array }> {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, t] of model.params) {
    const data = Float32Array.from(t.data);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!)) throw new ExportError('NonFiniteWeight', { name, index: i }, `The tensor “${name}” holds a non-finite value at index ${i}.`);
    }
    out.set(name, { shape: [...t.shape], data });
  }
  return out;
}

export function buildForecastPytorchExport(model: ForecastModel<FloatArray>, meta: ForecastExportMeta): { weights: Uint8Array; config: string } {
  const config = prettyJson(forecastConfigJson(model, meta));
  return { weights: encodeSafetensors(float32Weights(model), { format: 'pt' }), config };
}

export function buildForecastOnnx(model: ForecastModel<FloatArray>, meta: ForecastExportMeta): Uint8Array {
  const configJson = forecastConfigJson(model, meta);
  const { cell, inputSize: F, hiddenSize: H, numLayers: L, nonlinearity } = model.config;
  const O = headSize(model.config);
  const weights = float32Weights(model);
  const weight = (name: string): Float32Array => {
    const t = weights.get(name);
    if (!t) throw new ExportError('MissingTensor', { name });
    return t.data;
  };
  const initializer: Tensor[] = [];
  const nodes: object[] = [];
  const stack = appendRecurrentStack({ nodes, initializer }, { cell, hiddenSize: H, numLayers: L, nonlinearity, inputSize: F }, weight, 'x');
  // The top layer's final state (1, batch, H) is its output at the last step.
  initializer.push(int64Tensor('head.axes', [1], [0]));
  nodes.push(node('Squeeze', [stack.topHn, 'head.axes'], ['head.in']));
  initializer.push(floatTensor('head.weight_t', [H, O], transpose(weight('head.weight'), O, H)));
  initializer.push(floatTensor('head.bias', [O], weight('head.bias')));
  nodes.push(node('MatMul', ['head.in', 'head.weight_t'], ['head.matmul']));
  nodes.push(node('Add', ['head.matmul', 'head.bias'], ['y']));

  const FLOAT = TensorDataType.FLOAT;
  const inputs = [valueInfo('x', FLOAT, ['seq', 'batch', F]), valueInfo('h0', FLOAT, [L, 'batch', H])];
  const outputs = [valueInfo('y', FLOAT, ['batch', O]), valueInfo('hn', FLOAT, [L, 'batch', H])];
  if (cell === 'lstm') {
    inputs.push(valueInfo('c0', FLOAT, [L, 'batch', H]));
    outputs.push(valueInfo('cn', FLOAT, [L, 'batch', H]));
  }
  const proto = ModelProto.fromObject({
    ir_version: IR_VERSION,
    producer_name: 'RNN Lab',
    producer_version: '1',
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    doc_string: `${OP_TYPE[cell]} forecaster: ${L} layer(s) of ${H} units over ${F} feature(s), ${model.config.outputSize} target(s) × horizon ${meta.horizon} = ${O} output(s), window ${meta.window}. `
      + 'y[k] is target floor(k / horizon) at (k mod horizon) + 1 steps after the window. '
      + 'x and y are z-score normalised; y[k] in original units is y[k] * std[t] + mean[t], t = targets[floor(k / horizon)] (rnnlab.config → normalization).',
    graph: { name: `rnnlab_forecast_${cell}`, node: nodes, initializer, input: inputs, output: outputs },
    metadata_props: [{ key: 'rnnlab.config', value: JSON.stringify(configJson) }],
  });
  return ModelProto.encode(proto).finish();
}

/** The files of one export format as bytes: `model.safetensors` + `config.json`, or `model.onnx`. */
export function exportForecaster(model: ForecastModel<FloatArray>, meta: ForecastExportMeta, format: ForecastExportFormat): ForecastExportFile[] {
  if (format === 'pytorch') {
    const { weights, config } = buildForecastPytorchExport(model, meta);
    return [{ name: 'model.safetensors', bytes: weights }, { name: 'config.json', bytes: new TextEncoder().encode(config) }];
  }
  if (format === 'onnx') return [{ name: 'model.onnx', bytes: buildForecastOnnx(model, meta) }];
  throw new ExportError('UnsupportedFormat', { format }, `Forecasters export as "pytorch" or "onnx", not “${String(format)}”.`);
}

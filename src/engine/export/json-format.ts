/**
 * A human-readable export: one JSON document with the configuration (config.json's fields), the
 * vocabulary and every weight as nested arrays (a matrix is a list of rows, one row per line).
 * Numbers are written with the fewest digits that read back as the same float32, so
 * export → import → export reproduces the file byte for byte.
 *
 * ```json
 * { "format": "rnnlab.model", "version": 1,
 *   "config": { "cell": "gru", "vocab_size": 28, … },
 *   "vocab": { "tokenizer": "char", "cleaning": "letters", "separator": "", "tokens": ["<unk>", " ", …] },
 *   "weights": { "rnn.weight_ih_l0": { "shape": [768, 28], "values": [[0.0132, -0.051, …], …] }, … } }
 * ```
 */
import { ExportError } from './export-error';
import { exportableFromTensors, type ExportableModel } from './exportable-model';
import { parsePytorchConfig, parseVocabFile, pytorchConfigJson, vocabFileJson } from './pytorch-format';

export const JSON_MODEL_FORMAT = 'rnnlab.model';

/** Shortest decimal that reads back (through Math.fround) as exactly `v`; -0 keeps its sign. */
export function float32ToString(v: number): string {
  if (Object.is(v, -0)) return '-0';
  for (let p = 1; p < 9; p++) {
    const s = String(Number(v.toPrecision(p)));
    if (Math.fround(Number(s)) === v) return s;
  }
  return String(Number(v.toPrecision(9)));
}

function valuesText(shape: readonly number[], data: Float32Array, indent: string): string {
  const row = (from: number, len: number) => {
    const parts = new Array<string>(len);
    for (let i = 0; i < len; i++) parts[i] = float32ToString(data[from + i]!);
    return `[${parts.join(', ')}]`;
  };
  if (shape.length === 1) return row(0, data.length);
  const cols = shape[1]!;
  const rows: string[] = [];
  for (let r = 0; r < shape[0]!; r++) rows.push(`${indent}  ${row(r * cols, cols)}`);
  return `[\n${rows.join(',\n')}\n${indent}]`;
}

export function buildJsonExport(m: ExportableModel): string {
  const head = (value: unknown) => JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
  const tensors: string[] = [];
  for (const [name, t] of m.weights) {
    tensors.push(`    ${JSON.stringify(name)}: {\n      "shape": [${t.shape.join(', ')}],\n      "values": ${valuesText(t.shape, t.data, '      ')}\n    }`);
  }
  return [
    '{',
    `  "format": "${JSON_MODEL_FORMAT}",`,
    '  "version": 1,',
    `  "config": ${head(pytorchConfigJson(m.config))},`,
    `  "vocab": ${head(vocabFileJson(m.vocab))},`,
    `  "weights": {\n${tensors.join(',\n')}\n  }`,
    '}',
    '',
  ].join('\n');
}

/** Flattens nested number arrays row-major, checking they are rectangular with `shape`. */
function flatten(name: string, values: unknown, shape: readonly number[]): number[] {
  const out: number[] = [];
  const walk = (v: unknown, depth: number): void => {
    const fail = (): never => {
      throw new ExportError('ShapeMismatch', { name, shape }, `The values of “${name}” do not form an array of shape [${shape.join(', ')}].`);
    };
    if (depth === shape.length) {
      if (typeof v !== 'number') fail();
      out.push(v as number);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) return fail();
    for (const x of v) walk(x, depth + 1);
  };
  walk(values, 0);
  return out;
}

export function parseJsonExport(text: string): ExportableModel {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ExportError('InvalidJson', { reason: 'syntax' });
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(doc) || doc.format !== JSON_MODEL_FORMAT) throw new ExportError('InvalidJson', { reason: 'format' });
  if (doc.version !== 1) throw new ExportError('InvalidJson', { reason: 'version', version: doc.version });
  const config = parsePytorchConfig(doc.config);
  const vocab = parseVocabFile(doc.vocab);
  if (!isObject(doc.weights)) throw new ExportError('InvalidJson', { reason: 'weights' });
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, entry] of Object.entries(doc.weights)) {
    if (!isObject(entry) || !Array.isArray(entry.shape) || !entry.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
      throw new ExportError('InvalidJson', { reason: 'tensor entry', name });
    }
    const shape = entry.shape as number[];
    tensors.set(name, { shape, data: Float32Array.from(flatten(name, entry.values, shape)) });
  }
  return exportableFromTensors(config, tensors, vocab);
}

import { describe, expect, it } from 'vitest';
import {
  CHECKSUM_KEY,
  SafetensorsError,
  crc32,
  decodeSafetensors,
  encodeSafetensors,
  int64ToNumbers,
  numbersToInt64,
  parseStrictJson,
  parseTagged,
  stringifyTagged,
  type SafeTensor,
} from '../../src/engine/formats';

/** Builds a file from a raw header string and data, with an optional forged length prefix. */
function raw(header: string, data: Uint8Array = new Uint8Array(0), lengthPrefix?: [number, number]): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, lengthPrefix?.[0] ?? h.length, true);
  view.setUint32(4, lengthPrefix?.[1] ?? 0, true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof SafetensorsError) return e.code;
    throw e;
  }
  return 'ok';
}

const sample = (): Map<string, SafeTensor> =>
  new Map<string, SafeTensor>([
    ['weight_ih_l0', { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, -6.5]) }],
    ['bias', { shape: [3], data: new Float64Array([0.1, NaN, -Infinity]) }],
    ['steps', { shape: [2], data: new BigInt64Array([1n, -(2n ** 62n)]) }],
    ['ids', { shape: [2, 2], data: new Int32Array([-1, 2, 3, 2 ** 31 - 1]) }],
    ['counts', { shape: [], data: new Uint32Array([2 ** 32 - 1]) }],
    ['empty', { shape: [0, 4], data: new Float32Array(0) }],
  ]);

describe('CRC-32', () => {
  it('matches the standard check value and chains like zlib', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32(bytes)).toBe(0xcbf43926);
    expect(crc32(bytes.subarray(4), crc32(bytes.subarray(0, 4)))).toBe(0xcbf43926);
  });
});

describe('safetensors encode/decode', () => {
  it('round-trips every supported dtype with shapes, values and metadata', () => {
    const bytes = encodeSafetensors(sample(), { note: 'hi', a: 'b' });
    const out = decodeSafetensors(bytes, { checksum: 'require' });
    expect(out.checksum).toBe('verified');
    expect(out.metadata).toEqual({ a: 'b', note: 'hi' });
    expect([...out.tensors.keys()]).toEqual([...sample().keys()]);
    for (const [name, t] of sample()) {
      const got = out.tensors.get(name)!;
      expect(got.shape).toEqual(t.shape);
      expect(got.data.constructor).toBe(t.data.constructor);
      expect(Array.from(got.data as ArrayLike<number | bigint>)).toEqual(Array.from(t.data as ArrayLike<number | bigint>));
    }
    expect(out.tensors.get('steps')!.dtype).toBe('I64');
  });

  it('gives identical bytes on export → import → export', () => {
    const first = encodeSafetensors(sample(), { z: '1', y: '2' });
    const decoded = decodeSafetensors(first);
    const second = encodeSafetensors(decoded.tensors, decoded.metadata);
    expect(second).toEqual(first);
  });

  it('lays tensors out in the given order, pads the header to 8 bytes and sorts metadata keys', () => {
    const bytes = encodeSafetensors(sample(), { b: '1', a: '2' });
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect((8 + n) % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(header.indexOf('"a"')).toBeLessThan(header.indexOf('"b"'));
    expect(header.indexOf('weight_ih_l0')).toBeLessThan(header.indexOf('"bias"'));
    expect(JSON.parse(header).weight_ih_l0.data_offsets).toEqual([0, 24]);
  });

  it('reads files without a checksum unless one is required', () => {
    const bytes = encodeSafetensors(sample(), {}, { checksum: false });
    expect(decodeSafetensors(bytes).checksum).toBe('absent');
    expect(codeOf(() => decodeSafetensors(bytes, { checksum: 'require' }))).toBe('ChecksumMissing');
  });

  it('refuses inconsistent tensors and the reserved checksum key on encode', () => {
    expect(codeOf(() => encodeSafetensors([['x', { shape: [2, 2], data: new Float32Array(3) }]]))).toBe('InvalidTensor');
    expect(codeOf(() => encodeSafetensors([['x', { shape: [-1], data: new Float32Array(0) }]]))).toBe('InvalidTensor');
    expect(codeOf(() => encodeSafetensors([['__metadata__', { shape: [1], data: new Float32Array(1) }]]))).toBe('InvalidName');
    expect(codeOf(() => encodeSafetensors([], { [CHECKSUM_KEY]: '00000000' }))).toBe('InvalidMetadata');
  });

  it('checks expected names, shapes and dtypes when the caller passes them', () => {
    const bytes = encodeSafetensors(new Map([['w', { shape: [2], data: new Float32Array(2) }]]));
    expect(codeOf(() => decodeSafetensors(bytes, { expect: new Map([['w', { shape: [2], dtype: 'F32' as const }]]) }))).toBe('ok');
    expect(codeOf(() => decodeSafetensors(bytes, { expect: new Map([['w', { shape: [1, 2] }]]) }))).toBe('ShapeMismatch');
    expect(codeOf(() => decodeSafetensors(bytes, { expect: new Map([['w', { shape: [2], dtype: 'F64' as const }]]) }))).toBe('DtypeMismatch');
    expect(codeOf(() => decodeSafetensors(bytes, { expect: new Map([['v', { shape: [2] }]]) }))).toBe('MissingTensor');
    expect(codeOf(() => decodeSafetensors(bytes, { expect: new Map() }))).toBe('UnexpectedTensor');
  });

  it('converts I64 data to numbers only when exact', () => {
    expect(Array.from(int64ToNumbers(numbersToInt64([0, -5, 2 ** 53 - 1])))).toEqual([0, -5, 2 ** 53 - 1]);
    expect(codeOf(() => int64ToNumbers(new BigInt64Array([2n ** 53n])))).toBe('UnsafeInteger');
    expect(codeOf(() => numbersToInt64([0.5]))).toBe('UnsafeInteger');
  });
});

describe('hostile safetensors headers', () => {
  const f32 = (n: number): Uint8Array => new Uint8Array(n * 4);
  const entry = (dtype: string, shape: unknown, offsets: unknown): string => JSON.stringify({ dtype, shape, data_offsets: offsets });
  const cases: [string, Uint8Array, string][] = [
    ['a file shorter than the length prefix', new Uint8Array(5), 'Truncated'],
    ['a header length above the cap', raw('{}', undefined, [17 * 1024 * 1024, 0]), 'HeaderTooLarge'],
    ['a header length with the high word set (≥ 4 GiB)', raw('{}', undefined, [2, 1]), 'HeaderTooLarge'],
    ['a header length past the end of the file', raw('{}', undefined, [100, 0]), 'Truncated'],
    ['a header that is not JSON', raw('{"a":'), 'InvalidHeader'],
    ['a header that is not UTF-8', raw('{"\u00ff":1}').map((b, i) => (i === 10 ? 0xff : b)), 'InvalidHeader'],
    ['a JSON array header', raw('[1,2]'), 'NotAnObject'],
    ['a JSON string header', raw('"x"'), 'NotAnObject'],
    ['a JSON null header', raw('null'), 'NotAnObject'],
    ['a duplicated tensor name', raw(`{"w":${entry('F32', [1], [0, 4])},"w":${entry('F32', [1], [4, 8])}}`, f32(2)), 'DuplicateName'],
    ['metadata that is not a string map', raw('{"__metadata__":{"a":1}}'), 'InvalidMetadata'],
    ['metadata that is an array', raw('{"__metadata__":["a"]}'), 'InvalidMetadata'],
    ['an empty tensor name', raw(`{"":${entry('F32', [1], [0, 4])}}`, f32(1)), 'InvalidName'],
    ['an entry that is not an object', raw('{"w":[1]}'), 'InvalidEntry'],
    ['an entry with an extra key', raw('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}', f32(1)), 'InvalidEntry'],
    ['an entry without offsets', raw('{"w":{"dtype":"F32","shape":[1]}}'), 'InvalidEntry'],
    ['an unsupported dtype', raw(`{"w":${entry('F16', [2], [0, 4])}}`, f32(1)), 'UnsupportedDtype'],
    ['a dtype in the wrong case', raw(`{"w":${entry('f32', [1], [0, 4])}}`, f32(1)), 'UnsupportedDtype'],
    ['a dtype that is not a string', raw('{"w":{"dtype":4,"shape":[1],"data_offsets":[0,4]}}', f32(1)), 'InvalidEntry'],
    ['a negative dimension', raw(`{"w":${entry('F32', [-1], [0, 4])}}`, f32(1)), 'InvalidEntry'],
    ['a fractional dimension', raw(`{"w":${entry('F32', [1.5], [0, 4])}}`, f32(1)), 'InvalidEntry'],
    ['a dimension beyond 2^53', raw('{"w":{"dtype":"F32","shape":[1e300],"data_offsets":[0,4]}}', f32(1)), 'InvalidEntry'],
    ['a shape whose byte size overflows', raw(`{"w":${entry('F64', [2 ** 30, 2 ** 30, 2 ** 30], [0, 8])}}`, new Uint8Array(8)), 'ShapeOverflow'],
    ['offsets that disagree with the shape', raw(`{"w":${entry('F32', [2], [0, 4])}}`, f32(1)), 'SizeMismatch'],
    ['reversed offsets', raw(`{"w":${entry('F32', [1], [4, 0])}}`, f32(1)), 'InvalidEntry'],
    ['negative offsets', raw(`{"w":${entry('F32', [1], [-4, 0])}}`, f32(1)), 'InvalidEntry'],
    ['three offsets', raw(`{"w":${entry('F32', [1], [0, 4, 8])}}`, f32(1)), 'InvalidEntry'],
    ['overlapping tensors', raw(`{"a":${entry('F32', [2], [0, 8])},"b":${entry('F32', [2], [4, 12])}}`, f32(3)), 'Overlap'],
    ['two tensors on the same bytes', raw(`{"a":${entry('F32', [1], [0, 4])},"b":${entry('F32', [1], [0, 4])}}`, f32(1)), 'Overlap'],
    ['a gap between tensors', raw(`{"a":${entry('F32', [1], [0, 4])},"b":${entry('F32', [1], [8, 12])}}`, f32(3)), 'Gap'],
    ['data not starting at offset 0', raw(`{"a":${entry('F32', [1], [4, 8])}}`, f32(2)), 'Gap'],
    ['trailing bytes after the last tensor', raw(`{"a":${entry('F32', [1], [0, 4])}}`, f32(2)), 'TrailingBytes'],
    ['data shorter than the offsets', raw(`{"a":${entry('F32', [2], [0, 8])}}`, f32(1)), 'Truncated'],
    ['nesting deeper than any header needs', raw('{"__metadata__":' + '['.repeat(100) + ']'.repeat(100) + '}'), 'InvalidHeader'],
    ['a forged checksum', raw(`{"__metadata__":{"${CHECKSUM_KEY}":"00000000"},"a":${entry('F32', [1], [0, 4])}}`, f32(1)), 'ChecksumMismatch'],
    ['a checksum that is not hex', raw(`{"__metadata__":{"${CHECKSUM_KEY}":"zz"}}`), 'ChecksumMismatch'],
  ];
  it.each(cases)('rejects %s', (_title, bytes, code) => {
    expect(codeOf(() => decodeSafetensors(bytes))).toBe(code);
  });

  it('accepts a minimal valid file written by hand (trailing header spaces allowed)', () => {
    const bytes = raw(`{"a":${entry('F32', [1], [0, 4])}}   `, f32(1));
    expect(decodeSafetensors(bytes).tensors.get('a')!.data).toEqual(new Float32Array([0]));
  });
});

describe('strict JSON and tagged JSON', () => {
  it('parses like JSON.parse but refuses duplicate keys and treats __proto__ as data', () => {
    const text = '{"a":[1,-2.5e3,true,null,"x\\u00e9\\n"],"__proto__":{"b":{}}}';
    expect(JSON.stringify(parseStrictJson(text))).toBe(JSON.stringify(JSON.parse(text)));
    expect(() => parseStrictJson('{"a":1,"a":2}')).toThrow(/duplicate/);
    for (const bad of ['{', '01', '{"a" 1}', '[1,]', '"\u0001"', '1 2', 'tru']) expect(() => parseStrictJson(bad), bad).toThrow();
  });

  it('keeps NaN and ±Infinity through a round trip', () => {
    const value = { loss: NaN, best: Infinity, low: -Infinity, list: [1, NaN], text: 'NaN' };
    expect(parseTagged(stringifyTagged(value))).toEqual(value);
    expect(() => stringifyTagged({ $num: 'x' })).toThrow();
  });
});

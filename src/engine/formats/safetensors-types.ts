/** The dtypes RNN Lab reads and writes, with their typed-array element sizes. */
export type SafeDtype = 'F32' | 'F64' | 'I32' | 'I64' | 'U32';
export type SafeArray = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint32Array;

export const DTYPE_BYTES: Readonly<Record<SafeDtype, number>> = { F32: 4, F64: 8, I32: 4, I64: 8, U32: 4 };

export interface SafeTensor {
  shape: readonly number[];
  data: SafeArray;
}

export interface DecodedTensor extends SafeTensor {
  dtype: SafeDtype;
  shape: number[];
}

/** The reserved `__metadata__` key that holds RNN Lab's checksum (eight hex digits). */
export const CHECKSUM_KEY = 'rnnlab.crc32';

export function dtypeOf(data: SafeArray): SafeDtype {
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof Int32Array) return 'I32';
  if (data instanceof BigInt64Array) return 'I64';
  return 'U32';
}

export function isSafeDtype(s: string): s is SafeDtype {
  return Object.hasOwn(DTYPE_BYTES, s);
}

export function allocate(dtype: SafeDtype, buffer: ArrayBuffer): SafeArray {
  switch (dtype) {
    case 'F32':
      return new Float32Array(buffer);
    case 'F64':
      return new Float64Array(buffer);
    case 'I32':
      return new Int32Array(buffer);
    case 'I64':
      return new BigInt64Array(buffer);
    case 'U32':
      return new Uint32Array(buffer);
  }
}

/** safetensors is little-endian; a big-endian host swaps each element when copying. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function swapBytesInPlace(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

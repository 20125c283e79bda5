/**
 * The engine's only container: a flat typed array plus its shape (row-major, PyTorch order).
 * Everything numeric is generic over Float32Array (training) and Float64Array (gradient checks).
 */
export type FloatArray = Float32Array | Float64Array;
export type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;

export interface Tensor<A extends FloatArray = FloatArray> {
  shape: number[];
  data: A;
}

/** Named tensors in PyTorch state_dict order (a Map keeps insertion order). */
export type NamedTensors<A extends FloatArray = FloatArray> = Map<string, Tensor<A>>;

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function zerosLike<A extends FloatArray>(t: Tensor<A>): Tensor<A> {
  const Ctor = t.data.constructor as { new (n: number): A };
  return { shape: [...t.shape], data: new Ctor(t.data.length) };
}

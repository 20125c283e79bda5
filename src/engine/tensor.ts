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

/** The data of tensor `name`; a RangeError naming it when there is none. */
export function tensorData<A extends FloatArray>(tensors: NamedTensors<A>, name: string): A {
  const t = tensors.get(name);
  if (!t) throw new RangeError(`no parameter ${name}`);
  return t.data;
}

/** How many numbers the tensors hold together. */
export function countValues(tensors: NamedTensors): number {
  let n = 0;
  for (const t of tensors.values()) n += t.data.length;
  return n;
}

/**
 * Copies `source` into `target`: every source name must exist in `target` with the same shape,
 * and (unless `partial`) every target name must be in `source`. RangeErrors name the tensor.
 */
export function copyTensorsInto(
  target: NamedTensors,
  source: ReadonlyMap<string, { shape: readonly number[]; data: ArrayLike<number> }>,
  partial = false,
): void {
  for (const [name, t] of source) {
    const dst = target.get(name);
    if (!dst) throw new RangeError(`unexpected parameter ${name}`);
    if (dst.shape.length !== t.shape.length || dst.shape.some((d, i) => d !== t.shape[i]) || t.data.length !== dst.data.length) {
      throw new RangeError(`parameter ${name} has shape [${t.shape.join(', ')}], expected [${dst.shape.join(', ')}]`);
    }
    dst.data.set(t.data);
  }
  if (!partial) for (const name of target.keys()) if (!source.has(name)) throw new RangeError(`missing parameter ${name}`);
}

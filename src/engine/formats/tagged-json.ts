/**
 * JSON that survives non-finite numbers. A diverged run's loss is NaN and a fresh "best" is
 * Infinity; plain JSON turns both into null. Here they are written as `{"$num":"NaN"}`,
 * `{"$num":"Infinity"}`, `{"$num":"-Infinity"}` and read back as numbers. An input object whose
 * only key is `$num` is refused on write so the encoding stays unambiguous.
 */
const TAG = '$num';
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

export function stringifyTagged(value: unknown): string {
  const out = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return { [TAG]: String(v) };
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === TAG) throw new TypeError(`an object whose only key is "${TAG}" cannot be stored`);
    }
    if (typeof v === 'bigint') throw new TypeError('bigint values cannot be stored as JSON');
    return v;
  });
  if (out === undefined) throw new TypeError('value is not representable as JSON');
  return out;
}

export function parseTagged(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const tag = (v as Record<string, unknown>)[TAG];
      if (keys.length === 1 && typeof tag === 'string' && Object.hasOwn(NON_FINITE, tag)) return NON_FINITE[tag];
    }
    return v;
  });
}

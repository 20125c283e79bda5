/**
 * A strict JSON parser for untrusted headers. Unlike `JSON.parse` it rejects duplicate object
 * keys (a safetensors header with two entries of one name must not silently keep the last), caps
 * nesting depth, and builds objects without prototypes so `__proto__` is just a key.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class StrictJsonError extends Error {
  constructor(
    readonly reason: 'Syntax' | 'DuplicateKey' | 'TooDeep',
    readonly position: number,
    readonly key?: string,
  ) {
    super(reason === 'DuplicateKey' ? `duplicate key "${key}" at ${position}` : `${reason} at ${position}`);
    this.name = 'StrictJsonError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const MAX_DEPTH = 32;

export function parseStrictJson(text: string): JsonValue {
  let i = 0;

  const fail = (reason: 'Syntax' | 'TooDeep' = 'Syntax'): never => {
    throw new StrictJsonError(reason, i);
  };
  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else return;
    }
  };
  const expect = (ch: string): void => {
    if (text[i] !== ch) fail();
    i++;
  };

  const parseString = (): string => {
    expect('"');
    let out = '';
    let start = i;
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        i += 2;
        if (e === 'u') {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail();
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else {
          const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          const s = e === undefined ? undefined : simple[e];
          if (s === undefined) fail();
          out += s;
        }
        start = i;
        continue;
      }
      i++;
    }
  };

  const parseValue = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail('TooDeep');
    skipSpace();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj = Object.create(null) as { [key: string]: JsonValue };
      const seen = new Set<string>();
      skipSpace();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        skipSpace();
        const keyAt = i;
        const key = parseString();
        if (seen.has(key)) throw new StrictJsonError('DuplicateKey', keyAt, key);
        seen.add(key);
        skipSpace();
        expect(':');
        obj[key] = parseValue(depth + 1);
        skipSpace();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return obj;
        } else fail();
      }
    }
    if (c === '[') {
      i++;
      const arr: JsonValue[] = [];
      skipSpace();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(depth + 1));
        skipSpace();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return arr;
        } else fail();
      }
    }
    if (c === '"') return parseString();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) return fail();
    i += m[0].length;
    return Number(m[0]);
  };

  const value = parseValue(0);
  skipSpace();
  if (i !== text.length) fail();
  return value;
}

export function isJsonObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { artefactPath, buildArtefact } from '../../build/wasm/build';
import { WASM_RELAXED_SIMD, WASM_SIMD } from '../../src/engine/kernels/wasm/artefact';
import './wasm-backends'; // switches relaxed SIMD on where it is behind a flag

interface ModuleApi { Module: { new (bytes: Uint8Array): object; imports(m: object): unknown[] } }
const { Module } = (globalThis as unknown as { WebAssembly: ModuleApi }).WebAssembly;

describe('the committed WebAssembly artefact', () => {
  it('is exactly what `npm run build:wasm` produces from build/wasm/kernels.as', async () => {
    expect(readFileSync(artefactPath, 'utf8')).toBe(await buildArtefact());
  });

  it('imports nothing but a shared memory, in both variants', () => {
    for (const b64 of [WASM_SIMD, WASM_RELAXED_SIMD]) {
      const mod = new Module(Buffer.from(b64, 'base64'));
      expect(Module.imports(mod)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    }
  });

  // The memory belongs to the kernels' callers from byte 64 on (WasmArena): a data segment (such as
  // the tables AssemblyScript's Math.log reads) would be written there at instantiation and then
  // overwritten by the caller's buffers, giving wrong numbers after the first allocations.
  it('has no data segment and no data count, in both variants', () => {
    for (const b64 of [WASM_SIMD, WASM_RELAXED_SIMD]) expect(sectionIds(Buffer.from(b64, 'base64'))).not.toContain(11);
    for (const b64 of [WASM_SIMD, WASM_RELAXED_SIMD]) expect(sectionIds(Buffer.from(b64, 'base64'))).not.toContain(12);
  });
});

/** The ids of a module's sections, in order (binary format: magic, version, then id + LEB128 size + body). */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at++]!;
    let size = 0, shift = 0, byte: number;
    do {
      byte = bytes[at++]!;
      size |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    ids.push(id);
    at += size;
  }
  return ids;
}

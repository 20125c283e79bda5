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
});

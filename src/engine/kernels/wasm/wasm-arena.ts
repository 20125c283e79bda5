import type { WasmMemory } from './wasm-api';

const PAGE = 65536;
const ALIGN = 64; // a cache line: vector loads never straddle one at a row start

/**
 * Bump allocator over the kernels' shared linear memory. Buffers live as long as the kernels
 * (a run's model and workspaces); nothing is freed. Growing a shared memory never detaches the
 * views made before, so every view stays valid; `owns` remembers each buffer object the memory
 * has had, to tell our views from foreign arrays.
 */
export class WasmArena {
  private top: number;
  private readonly buffers: ArrayBufferLike[] = [];
  private readonly scratchSlots: Array<{ ptr: number; bytes: number }> = [];

  constructor(readonly memory: WasmMemory, base: number) {
    this.top = align(base);
    this.buffers.push(memory.buffer);
  }

  /** Bytes handed out so far (the high-water mark of the memory in use). */
  get usedBytes(): number {
    return this.top;
  }

  /** Reserve `bytes` (aligned) and return their byte offset; the memory is zero on first use. */
  reserve(bytes: number): number {
    const ptr = this.top;
    const end = align(ptr + Math.max(bytes, 0));
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      this.memory.grow(Math.ceil((end - have) / PAGE));
      this.buffers.push(this.memory.buffer);
    }
    this.top = end;
    return ptr;
  }

  f32(length: number): Float32Array {
    const ptr = this.reserve(length * 4);
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  i32(length: number): Int32Array {
    const ptr = this.reserve(length * 4);
    return new Int32Array(this.memory.buffer, ptr, length);
  }

  /** A reusable region of at least `bytes` for slot `slot`; contents are unspecified. */
  scratch(slot: number, bytes: number): number {
    const s = this.scratchSlots[slot];
    if (s && s.bytes >= bytes) return s.ptr;
    const grown = Math.max(bytes, (s?.bytes ?? 0) * 2, 4096);
    const ptr = this.reserve(grown);
    this.scratchSlots[slot] = { ptr, bytes: grown };
    return ptr;
  }

  /** A fresh view of the current memory (after growth the old buffer object is shorter). */
  view<T>(ctor: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => T, ptr: number, length: number): T {
    return new ctor(this.memory.buffer, ptr, length);
  }

  owns(a: ArrayBufferView): boolean {
    const b = a.buffer;
    const list = this.buffers;
    for (let i = list.length - 1; i >= 0; i--) if (list[i] === b) return true;
    return false;
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

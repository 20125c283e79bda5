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
  private readonly known = new WeakSet<ArrayBufferLike>();
  private readonly foreign = new WeakSet<ArrayBufferLike>();
  private readonly probe: number;
  private probeValue = 0x5eed;
  private readonly scratchSlots: Array<{ ptr: number; bytes: number }> = [];

  constructor(readonly memory: WasmMemory, base: number) {
    this.top = align(base);
    this.known.add(memory.buffer);
    this.probe = this.reserve(4);
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
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.known.add(this.memory.buffer);
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

  /**
   * Whether a view is of this memory. V8 may hand out several SharedArrayBuffer objects for one
   * shared memory (one per growth, and sometimes more), so an unknown buffer object is probed once:
   * a word written through the memory must be read back through it.
   */
  owns(a: ArrayBufferView): boolean {
    const b = a.buffer;
    if (this.known.has(b)) return true;
    if (this.foreign.has(b)) return false;
    let same = false;
    if (typeof SharedArrayBuffer === 'function' && b instanceof SharedArrayBuffer && b.byteLength > this.probe) {
      const mine = new Int32Array(this.memory.buffer, this.probe, 1), theirs = new Int32Array(b, this.probe, 1);
      same = true;
      for (let i = 0; i < 2 && same; i++) {
        mine[0] = this.probeValue = (this.probeValue * 1103515245 + 12345) | 0;
        same = theirs[0] === this.probeValue;
      }
    }
    (same ? this.known : this.foreign).add(b);
    return same;
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

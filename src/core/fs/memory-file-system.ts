/**
 * An in-memory file system that models durability, for crash tests. Each file keeps its current
 * bytes and the bytes as of its last `sync`; each directory keeps its current entries and the
 * entries as of its last `syncDir`. Faults:
 *
 * - `crashAfter: n` — the (n+1)-th mutating operation fails with `FsError('Crashed')`, and so does
 *   everything after it (reads included), like a process that died.
 * - `tornWrites` — the write that crashes lands half of its bytes first.
 * - `diskFullAt: n` — the disk holds n bytes of file data in all: a write (or growing truncate)
 *   past that lands what fits and fails with `FsError('DiskFull')`, as ENOSPC does; removing
 *   files frees space again. Nothing else fails, unlike a crash.
 * - `afterCrash('keep-all')` reboots with every completed operation kept (a process crash);
 *   `afterCrash('lose-unsynced')` keeps only what was synced (a power cut on a pessimistic disk).
 * - `flipBit(path, bit)` corrupts stored bytes in place.
 *
 * Symbolic links (`seedSymlink`) are followed on the way to a path and by `stat`, reads and
 * writes, as the real disk does; `lstat`, `unlink` and `rename` act on the link itself.
 *
 * Mutating operations: openWrite, write, sync, truncate, mkdir, rename, unlink, rmdir, syncDir.
 */
import { posix } from 'node:path';
import { FsError, type FileStat, type FileSystem, type ReadHandle, type WriteHandle, type WriteMode } from './file-system';

interface FileNode {
  kind: 'file';
  data: Uint8Array;
  size: number;
  durable: Uint8Array;
}

interface DirNode {
  kind: 'dir';
  entries: Map<string, Node>;
  durable: Map<string, Node>;
}

interface LinkNode {
  kind: 'link';
  /** Absolute, or relative to the link's folder. */
  target: string;
}

type Node = FileNode | DirNode | LinkNode;

/** Links followed on one lookup before it fails, as ELOOP does. */
const MAX_LINK_HOPS = 40;

export interface FaultOptions {
  crashAfter?: number;
  tornWrites?: boolean;
  diskFullAt?: number;
}

function newDir(): DirNode {
  return { kind: 'dir', entries: new Map(), durable: new Map() };
}

function newFile(data: Uint8Array = new Uint8Array(0)): FileNode {
  return { kind: 'file', data: data.slice(), size: data.length, durable: data.slice() };
}

export class MemoryFileSystem implements FileSystem {
  /** Mutating operations performed so far. */
  ops = 0;
  crashed = false;
  private faults: FaultOptions = {};

  constructor(private root: DirNode = newDir()) {}

  setFaults(faults: FaultOptions): this {
    this.faults = { ...faults };
    this.ops = 0;
    return this;
  }

  /** The file system a reboot would find. */
  afterCrash(mode: 'keep-all' | 'lose-unsynced'): MemoryFileSystem {
    const clone = (dir: DirNode): DirNode => {
      const out = newDir();
      const source = mode === 'keep-all' ? dir.entries : dir.durable;
      for (const [name, node] of source) {
        const copy: Node =
          node.kind === 'dir' ? clone(node) : node.kind === 'link' ? { ...node } : newFile(mode === 'keep-all' ? node.data.subarray(0, node.size) : node.durable);
        out.entries.set(name, copy);
        out.durable.set(name, copy);
      }
      return out;
    };
    return new MemoryFileSystem(clone(this.root));
  }

  /** Creates directories (and parents) as already durable, without counting operations. */
  seedDir(path: string): void {
    let dir = this.root;
    for (const part of this.parts(path)) {
      let next = dir.entries.get(part);
      if (next === undefined) {
        next = newDir();
        dir.entries.set(part, next);
        dir.durable.set(part, next);
      }
      if (next.kind !== 'dir') throw new FsError('NotDirectory', path);
      dir = next;
    }
  }

  /** Creates a durable file (parents included), without counting operations. */
  seedFile(path: string, data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const parts = this.parts(path);
    const name = parts.pop()!;
    this.seedDir('/' + parts.join('/'));
    const dir = this.lookupDir('/' + parts.join('/'));
    const node = newFile(bytes);
    dir.entries.set(name, node);
    dir.durable.set(name, node);
  }

  /** Creates a durable symbolic link at `path` pointing to `target`, without counting operations. */
  seedSymlink(path: string, target: string): void {
    const parts = this.parts(path);
    const name = parts.pop()!;
    const dir = this.lookupDir('/' + parts.join('/'));
    if (dir.entries.has(name)) throw new FsError('Exists', path);
    const node: LinkNode = { kind: 'link', target };
    dir.entries.set(name, node);
    dir.durable.set(name, node);
  }

  flipBit(path: string, bit: number): void {
    const node = this.lookupFile(path);
    const byte = Math.floor(bit / 8);
    if (byte >= node.size) throw new RangeError(`bit ${bit} is past the end of ${path}`);
    node.data[byte]! ^= 1 << bit % 8;
    if (byte < node.durable.length) node.durable[byte]! ^= 1 << bit % 8;
  }

  /** Every file under `path` with its bytes, for comparing states in tests. */
  snapshot(path = '/'): Map<string, Uint8Array> {
    const out = new Map<string, Uint8Array>();
    const walk = (dir: DirNode, at: string): void => {
      for (const [name, node] of [...dir.entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const p = posix.join(at, name);
        if (node.kind === 'dir') {
          out.set(p + '/', new Uint8Array(0));
          walk(node, p);
        } else if (node.kind === 'link') out.set(`${p} -> ${node.target}`, new Uint8Array(0));
        else out.set(p, node.data.slice(0, node.size));
      }
    };
    walk(this.lookupDir(path), this.norm(path));
    return out;
  }

  /** Bytes of file data held now (files reachable from the root). */
  usedBytes(): number {
    const sum = (dir: DirNode): number => {
      let n = 0;
      for (const node of dir.entries.values()) n += node.kind === 'dir' ? sum(node) : node.kind === 'file' ? node.size : 0;
      return n;
    };
    return sum(this.root);
  }

  // --- FileSystem ---

  async readFile(path: string): Promise<Uint8Array> {
    this.alive();
    const node = this.lookupFile(path);
    return node.data.slice(0, node.size);
  }

  async openRead(path: string): Promise<ReadHandle> {
    this.alive();
    const node = this.lookupFile(path);
    return {
      read: async (buffer, position) => {
        this.alive();
        const n = Math.max(0, Math.min(buffer.length, node.size - position));
        buffer.set(node.data.subarray(position, position + n));
        return n;
      },
      close: async () => {},
    };
  }

  async openWrite(path: string, mode: WriteMode): Promise<WriteHandle> {
    this.tick();
    const { dir, name } = this.parent(path);
    let node = dir.entries.get(name);
    if (node !== undefined && mode === 'create') throw new FsError('Exists', path);
    if (node?.kind === 'link') node = this.lookupFile(path);
    if (node?.kind === 'dir') throw new FsError('IsDirectory', path);
    if (node === undefined) {
      node = { kind: 'file', data: new Uint8Array(0), size: 0, durable: new Uint8Array(0) };
      dir.entries.set(name, node);
    } else if (mode === 'truncate') node.size = 0;
    const file = node;
    let pos = mode === 'append' ? file.size : 0;
    return {
      write: async (data) => {
        this.tick(() => {
          if (this.faults.tornWrites) {
            pos = mode === 'append' ? file.size : pos;
            this.writeAt(file, pos, data.subarray(0, Math.floor(data.length / 2)));
          }
        });
        if (mode === 'append') pos = file.size;
        const fits = this.room(file, pos, data.length);
        this.writeAt(file, pos, data.subarray(0, fits));
        pos += fits;
        if (fits < data.length) throw new FsError('DiskFull', path, undefined, data.length);
      },
      sync: async () => {
        this.tick();
        file.durable = file.data.slice(0, file.size);
      },
      close: async () => {},
    };
  }

  async truncate(path: string, length: number): Promise<void> {
    this.tick();
    const node = this.lookupFile(path);
    if (length < node.size) node.size = length;
    else {
      if (this.room(node, node.size, length - node.size) < length - node.size) throw new FsError('DiskFull', path);
      this.writeAt(node, node.size, new Uint8Array(length - node.size));
    }
  }

  async stat(path: string): Promise<FileStat | undefined> {
    this.alive();
    const node = this.find(path);
    return node === undefined ? undefined : this.statOf(node);
  }

  async lstat(path: string): Promise<FileStat | undefined> {
    this.alive();
    const node = this.find(path, false);
    return node === undefined ? undefined : this.statOf(node);
  }

  async readdir(path: string): Promise<string[]> {
    this.alive();
    return [...this.lookupDir(path).entries.keys()].sort();
  }

  async mkdir(path: string): Promise<void> {
    this.tick();
    const { dir, name } = this.parent(path);
    if (dir.entries.has(name)) throw new FsError('Exists', path);
    dir.entries.set(name, newDir());
  }

  async rename(from: string, to: string): Promise<void> {
    this.tick();
    const src = this.parent(from);
    const node = src.dir.entries.get(src.name);
    if (node === undefined) throw new FsError('NotFound', from);
    const dst = this.parent(to);
    const existing = dst.dir.entries.get(dst.name);
    if (existing !== undefined) {
      if (node.kind === 'dir' || existing.kind === 'dir') throw new FsError(existing.kind === 'dir' ? 'IsDirectory' : 'NotDirectory', to);
    }
    if (node.kind === 'dir' && this.norm(to).startsWith(this.norm(from) + '/')) throw new FsError('Io', to);
    src.dir.entries.delete(src.name);
    dst.dir.entries.set(dst.name, node);
  }

  async unlink(path: string): Promise<void> {
    this.tick();
    const { dir, name } = this.parent(path);
    const node = dir.entries.get(name);
    if (node === undefined) throw new FsError('NotFound', path);
    if (node.kind === 'dir') throw new FsError('IsDirectory', path);
    dir.entries.delete(name);
  }

  async rmdir(path: string): Promise<void> {
    this.tick();
    const { dir, name } = this.parent(path);
    const node = dir.entries.get(name);
    if (node === undefined) throw new FsError('NotFound', path);
    if (node.kind !== 'dir') throw new FsError('NotDirectory', path);
    if (node.entries.size > 0) throw new FsError('NotEmpty', path);
    dir.entries.delete(name);
  }

  async syncDir(path: string): Promise<void> {
    this.tick();
    const dir = this.lookupDir(path);
    dir.durable = new Map(dir.entries);
  }

  // --- internals ---

  private statOf(node: Node): FileStat {
    if (node.kind === 'dir') return { kind: 'directory', size: 0 };
    if (node.kind === 'link') return { kind: 'symlink', size: node.target.length };
    return { kind: 'file', size: node.size };
  }

  private alive(): void {
    if (this.crashed) throw new FsError('Crashed', '');
  }

  private tick(onCrash?: () => void): void {
    this.alive();
    this.ops++;
    if (this.faults.crashAfter !== undefined && this.ops > this.faults.crashAfter) {
      onCrash?.();
      this.crashed = true;
      throw new FsError('Crashed', '');
    }
  }

  /** How many of `length` bytes written at `pos` fit under `diskFullAt`. */
  private room(file: FileNode, pos: number, length: number): number {
    const cap = this.faults.diskFullAt;
    if (cap === undefined) return length;
    const free = Math.max(0, cap - this.usedBytes());
    return Math.max(0, Math.min(length, file.size - pos + free));
  }

  private writeAt(file: FileNode, pos: number, data: Uint8Array): void {
    const end = pos + data.length;
    if (end > file.data.length) {
      const grown = new Uint8Array(Math.max(end, file.data.length * 2, 64));
      grown.set(file.data.subarray(0, file.size));
      file.data = grown;
    }
    if (pos > file.size) file.data.fill(0, file.size, pos);
    file.data.set(data, pos);
    file.size = Math.max(file.size, end);
  }

  private norm(path: string): string {
    const p = posix.normalize(path.replaceAll('\\', '/'));
    if (!p.startsWith('/')) throw new FsError('NotFound', path);
    return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
  }

  private parts(path: string): string[] {
    return this.norm(path).split('/').filter((s) => s.length > 0);
  }

  /** The node at `path`; links on the way are followed, a link at the end only when `followLast`. */
  private find(path: string, followLast = true): Node | undefined {
    let parts = this.parts(path);
    let hops = 0;
    walk: for (;;) {
      let node: Node = this.root;
      for (let i = 0; i < parts.length; i++) {
        if (node.kind !== 'dir') return undefined;
        const next: Node | undefined = node.entries.get(parts[i]!);
        if (next === undefined) return undefined;
        if (next.kind === 'link' && (followLast || i < parts.length - 1)) {
          if (++hops > MAX_LINK_HOPS) throw new FsError('Io', path);
          const target = posix.resolve('/' + parts.slice(0, i).join('/'), next.target);
          parts = [...this.parts(target), ...parts.slice(i + 1)];
          continue walk;
        }
        node = next;
      }
      return node;
    }
  }

  private lookupDir(path: string): DirNode {
    const node = this.find(path);
    if (node === undefined) throw new FsError('NotFound', path);
    if (node.kind !== 'dir') throw new FsError('NotDirectory', path);
    return node;
  }

  private lookupFile(path: string): FileNode {
    const node = this.find(path);
    if (node === undefined) throw new FsError('NotFound', path);
    if (node.kind !== 'file') throw new FsError('IsDirectory', path);
    return node;
  }

  private parent(path: string): { dir: DirNode; name: string } {
    const parts = this.parts(path);
    const name = parts.pop();
    if (name === undefined) throw new FsError('Exists', path);
    return { dir: this.lookupDir('/' + parts.join('/')), name };
  }
}

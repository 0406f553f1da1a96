// Who first reached each stored state, and by which action instance: the
// links a trace is rebuilt from (trace.ts), kept beside the fingerprint
// table (store.ts) in chunks, so that growing never copies them.
//
// A breadth-first search adds states in an order that makes the parent
// links compress: the states first reached from one state get consecutive
// ids, and parents come in the order they were added. So BreadthFirstLinks
// keeps, per state, the number of states it reached first (one byte), and
// finds a parent by counting (a prefix sum every BLOCK states): a parent link
// costs about a byte, the action instance one byte for a model of up to 255
// instances (two up to 65,535), and no depth is kept (the engine knows the
// level). A depth-first search's links are full words (FullLinks).

export const NO_PARENT = 0xffffffff;

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
/** States per prefix-sum entry of BreadthFirstLinks. */
const BLOCK_BITS = 6;

type Typed = Uint8Array | Uint16Array | Uint32Array;
type TypedCtor = Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor;

export interface StoreLinks {
  add(id: number, parent: number, action: number, depth: number): void;
  parent(id: number): number;
  action(id: number): number;
  depth(id: number): number;
  /** Bytes held. */
  readonly bytes: number;
  /** Bytes held once `n` states are linked (for the memory limit). */
  bytesFor(n: number): number;
  /** The links of the first n states, as flat arrays (copies), for a checkpoint. */
  contents(n: number): Record<string, Typed | Float64Array>;
  restore(c: Readonly<Record<string, Typed | Float64Array>>, n: number): void;
}

/** A growable array of small numbers in chunks of CHUNK. */
class ChunkedArray {
  private chunks: Typed[] = [];
  constructor(private readonly Kind: TypedCtor) {}
  get bytes(): number { return this.chunks.length * CHUNK * this.Kind.BYTES_PER_ELEMENT; }
  bytesFor(n: number): number { return Math.ceil(n / CHUNK) * CHUNK * this.Kind.BYTES_PER_ELEMENT; }
  /** The chunk written last and the index it starts at, for the appends of a search. */
  private last: Typed = new Uint8Array(0);
  private lastBase = -(2 ** 30);
  get(i: number): number { return this.chunks[i >>> CHUNK_BITS]![i & (CHUNK - 1)]!; }
  set(i: number, v: number): void {
    const off = i - this.lastBase;
    if (off >= 0 && off < CHUNK) { this.last[off] = v; return; }
    const c = i >>> CHUNK_BITS;
    while (c >= this.chunks.length) this.chunks.push(new this.Kind(CHUNK));
    this.last = this.chunks[c]!;
    this.lastBase = c << CHUNK_BITS;
    this.last[i & (CHUNK - 1)] = v;
  }
  /** 0 for an index never set. */
  getOr0(i: number): number { const c = this.chunks[i >>> CHUNK_BITS]; return c ? c[i & (CHUNK - 1)]! : 0; }
  flat(n: number): Typed {
    const out = new this.Kind(n);
    for (let c = 0; c * CHUNK < n; c++) out.set(this.chunks[c]!.subarray(0, Math.min(CHUNK, n - c * CHUNK)), c * CHUNK);
    return out;
  }
  load(a: ArrayLike<number>): void {
    this.chunks = [];
    this.lastBase = -(2 ** 30);
    for (let i = 0; i < a.length; i += CHUNK) {
      const c = new this.Kind(CHUNK);
      for (let k = 0; k < CHUNK && i + k < a.length; k++) c[k] = a[i + k]!;
      this.chunks.push(c);
    }
  }
}

const actionKind = (actions: number): TypedCtor => (actions <= 0xff ? Uint8Array : actions <= 0xffff ? Uint16Array : Uint32Array);

export class FullLinks implements StoreLinks {
  private readonly parents = new ChunkedArray(Uint32Array);
  private readonly actions: ChunkedArray;
  private readonly depths = new ChunkedArray(Uint32Array);
  private n = 0;
  constructor(actions: number) { this.actions = new ChunkedArray(actionKind(actions)); }
  add(id: number, parent: number, action: number, depth: number): void {
    this.parents.set(id, parent); this.actions.set(id, action); this.depths.set(id, depth); this.n = id + 1;
  }
  parent(id: number): number { return this.parents.get(id); }
  action(id: number): number { return this.actions.get(id); }
  depth(id: number): number { return this.depths.get(id); }
  get bytes(): number { return this.parents.bytes + this.actions.bytes + this.depths.bytes; }
  bytesFor(n: number): number { return this.parents.bytesFor(n) + this.actions.bytesFor(n) + this.depths.bytesFor(n); }
  contents(n: number): Record<string, Typed> { return { parents: this.parents.flat(n), actions: this.actions.flat(n), depths: this.depths.flat(n) }; }
  restore(c: Readonly<Record<string, Typed | Float64Array>>, n: number): void {
    this.parents.load(c.parents!); this.actions.load(c.actions!); this.depths.load(c.depths!); this.n = n;
  }
}

export class BreadthFirstLinks implements StoreLinks {
  private readonly actions: ChunkedArray;
  /** Per state: how many states it reached first (255: see `many`). */
  private readonly children = new ChunkedArray(Uint8Array);
  private readonly many = new Map<number, number>();
  /** Per block of 2^BLOCK_BITS parents: how many non-initial states the parents before it reached. */
  private blockStart = new Float64Array(1024);
  /** States with no parent: ids 0 .. initials - 1. */
  private initials = 0;
  private n = 0;
  /** The last parent added, and the block prefix sums filled up to it. */
  private lastParent = -1;
  private linked = 0;
  // The last lookup, so that lookups of increasing ids walk forward.
  private cacheId = -1;
  private cacheParent = 0;
  private cacheFirst = 0;

  constructor(actions: number) { this.actions = new ChunkedArray(actionKind(actions)); }

  add(id: number, parent: number, action: number): void {
    this.actions.set(id, action);
    this.n = id + 1;
    if (parent === NO_PARENT) {
      if (this.linked > 0) throw new Error(`breadth-first links: initial state ${id} added after a state with a parent`);
      this.initials = id + 1;
      return;
    }
    if (parent !== this.lastParent) {
      if (parent < this.lastParent || parent >= id) throw new Error(`breadth-first links: state ${id}'s parent ${parent} is out of breadth-first order`);
      if (parent >>> BLOCK_BITS !== this.lastParent >>> BLOCK_BITS || this.lastParent < 0) this.closeBlocksUpTo(parent);
      this.lastParent = parent;
    }
    const c = this.children.getOr0(parent);
    if (c === 255) this.many.set(parent, this.many.get(parent)! + 1);
    else if (c === 254) { this.children.set(parent, 255); this.many.set(parent, 255); } else this.children.set(parent, c + 1);
    this.linked++;
  }

  /** Records the prefix sum at each block start up to the one holding `parent`. */
  private closeBlocksUpTo(parent: number): void {
    const b = parent >>> BLOCK_BITS;
    const from = this.lastParent < 0 ? 0 : (this.lastParent >>> BLOCK_BITS) + 1;
    if (b < from) return;
    if (b >= this.blockStart.length) {
      let len = this.blockStart.length;
      while (len <= b) len *= 2;
      const grown = new Float64Array(len);
      grown.set(this.blockStart);
      this.blockStart = grown;
    }
    for (let k = from; k <= b; k++) this.blockStart[k] = this.linked;
  }

  private count(parent: number): number {
    const c = this.children.getOr0(parent);
    return c === 255 ? this.many.get(parent)! : c;
  }

  parent(id: number): number {
    if (id < this.initials) return NO_PARENT;
    if (id >= this.n) throw new RangeError(`breadth-first links: no state ${id}`);
    const k = id - this.initials;
    let p: number;
    let first: number;
    const lastBlock = this.lastParent >>> BLOCK_BITS;
    const b0 = this.cacheId >= 0 && id >= this.cacheId ? this.cacheParent >>> BLOCK_BITS : -1;
    // From the last lookup when the state's parent is in the same block (a walk of at most one block); else a binary search.
    if (b0 >= 0 && (b0 + 1 > lastBlock || this.blockStart[b0 + 1]! > k)) {
      p = this.cacheParent;
      first = this.cacheFirst;
    } else {
      // the last block whose prefix sum is at most k
      let lo = 0;
      let hi = lastBlock;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (this.blockStart[mid]! <= k) lo = mid; else hi = mid - 1;
      }
      p = lo << BLOCK_BITS;
      first = this.blockStart[lo]!;
    }
    for (;;) {
      const c = this.count(p);
      if (k < first + c) break;
      first += c;
      p++;
    }
    this.cacheId = id; this.cacheParent = p; this.cacheFirst = first;
    return p;
  }

  action(id: number): number { return this.actions.get(id); }

  depth(): number { throw new Error('breadth-first links keep no depth (the engine knows the level)'); }

  get bytes(): number { return this.actions.bytes + this.children.bytes + this.blockStart.byteLength; }
  bytesFor(n: number): number { return this.actions.bytesFor(n) + this.children.bytesFor(n) + Math.max(this.blockStart.byteLength, 8 * (n >>> BLOCK_BITS) * 2); }

  contents(n: number): Record<string, Typed | Float64Array> {
    const parents = new Uint32Array(n);
    for (let id = 0; id < n; id++) parents[id] = this.parent(id);
    return { parents, actions: this.actions.flat(n) };
  }

  restore(c: Readonly<Record<string, Typed | Float64Array>>, n: number): void {
    const parents = c.parents!;
    const actions = c.actions!;
    for (let id = 0; id < n; id++) this.add(id, parents[id]!, actions[id]!);
  }
}

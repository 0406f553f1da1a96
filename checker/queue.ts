// States waiting to be explored, stored bit-packed (see packer.ts) in
// fixed-size chunks, so a frontier of millions of states costs a few bytes
// each and no per-state object. Works as a FIFO (breadth-first) or a LIFO
// (depth-first).

const CHUNK = 1 << 16;

interface Chunk {
  readonly words: Uint32Array;
  readonly ids: Uint32Array;
}

export class StateQueue {
  private chunks: Chunk[] = [];
  /** Position of the oldest entry in chunks[0]. */
  private head = 0;
  /** Number of entries in the last chunk. */
  private tail = CHUNK;
  private count = 0;

  constructor(private readonly words: number) {}

  get length(): number { return this.count; }

  get bytes(): number { return this.chunks.length * CHUNK * 4 * (this.words + 1); }

  /** Appends the packed state found in `src` at `at`. */
  push(id: number, src: Uint32Array, at: number): void {
    const w = this.words;
    if (this.tail === CHUNK) {
      this.chunks.push({ words: new Uint32Array(CHUNK * w), ids: new Uint32Array(CHUNK) });
      this.tail = 0;
    }
    const c = this.chunks[this.chunks.length - 1]!;
    const to = this.tail * w;
    for (let k = 0; k < w; k++) c.words[to + k] = src[at + k]!;
    c.ids[this.tail++] = id;
    this.count++;
  }

  /** Every entry, oldest first (a copy), for a checkpoint. */
  contents(): { ids: Uint32Array; words: Uint32Array } {
    const w = this.words;
    const ids = new Uint32Array(this.count);
    const words = new Uint32Array(this.count * w);
    let k = 0;
    this.chunks.forEach((c, ci) => {
      const from = ci === 0 ? this.head : 0;
      const to = ci === this.chunks.length - 1 ? this.tail : CHUNK;
      for (let p = from; p < to; p++, k++) {
        ids[k] = c.ids[p]!;
        words.set(c.words.subarray(p * w, (p + 1) * w), k * w);
      }
    });
    return { ids, words };
  }

  /** Appends entries saved by contents(). */
  pushAll(ids: Uint32Array, words: Uint32Array): void {
    for (let k = 0; k < ids.length; k++) this.push(ids[k]!, words, k * this.words);
  }

  /** Removes the oldest entry, copying its packed state into `into`; returns its id. */
  shift(into: Uint32Array): number {
    const id = this.read(this.chunks[0]!, this.head, into);
    this.count--;
    if (++this.head === CHUNK || this.count === 0) {
      if (this.chunks.length === 1) { this.chunks = []; this.tail = CHUNK; } else this.chunks.shift();
      this.head = 0;
    }
    return id;
  }

  /** Removes the newest entry, copying its packed state into `into`; returns its id. */
  pop(into: Uint32Array): number {
    const id = this.read(this.chunks[this.chunks.length - 1]!, --this.tail, into);
    this.count--;
    if (this.tail === (this.chunks.length === 1 ? this.head : 0)) {
      this.chunks.pop();
      this.tail = CHUNK;
      if (this.chunks.length === 0) this.head = 0;
    }
    return id;
  }

  private read(c: Chunk, pos: number, into: Uint32Array): number {
    const w = this.words;
    const from = pos * w;
    for (let k = 0; k < w; k++) into[k] = c.words[from + k]!;
    return c.ids[pos]!;
  }
}

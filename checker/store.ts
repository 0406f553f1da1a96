// The set of visited states: 64-bit fingerprints in an open-addressing table
// (two Uint32 words per slot, linear probing), numbering each new state with
// a dense id, plus the links a trace needs (store-links.ts): who first
// reached each state, and by which action instance. The engine replays the
// links to rebuild a trace.
//
// A slot's home is the fingerprint's low word scaled to the table's size
// (lo * slots / 2^32), not masked: the table can then grow by half, not
// double, so it stays between 50 % and 75 % full and costs 10.7-16 bytes per
// state (12.7 at bench (3,2), 10.7 at (3,3)); and since homes keep the
// fingerprints' order at any size, moving the entries into a grown table is
// a forward stream, not random writes. (Growing by a quarter at 80 % full
// kept it smaller but took a quarter more time per insertion.)

import { StoreFullError } from './errors.js';
import { type StoreLinks, BreadthFirstLinks, FullLinks, NO_PARENT } from './store-links.js';

export { NO_PARENT } from './store-links.js';

const MAX_LOAD = 0.75;
const GROWTH = 1.5;
const MIN_SLOTS = 1024;

/** The home slot of fingerprint low word `lo` in a table of `slots` slots (monotone in lo; the parallel table's too). */
export const homeOf = (lo: number, slots: number): number => (((lo >>> 0) * slots) / 4294967296) >>> 0;

/** The slots a table grows to from `slots` (the parallel table grows the same way). */
export const grownSlots = (slots: number): number => Math.ceil(slots * GROWTH);

/** A set of 64-bit fingerprints (open addressing, like the store's table), cleared in O(size). */
export class FingerprintSet {
  private table = new Uint32Array(2 * 1024);
  private mask = 1023;
  private n = 0;

  has(lo: number, hi: number): boolean {
    const t = this.table;
    for (let i = lo & this.mask; ; i = (i + 1) & this.mask) {
      const a = t[i << 1]!, b = t[(i << 1) + 1]!;
      if ((a | b) === 0) return false;
      if (a === lo >>> 0 && b === hi >>> 0) return true;
    }
  }

  add(lo: number, hi: number): void {
    if (this.n + 1 > (this.mask + 1) * 0.7) this.grow();
    const t = this.table;
    for (let i = lo & this.mask; ; i = (i + 1) & this.mask) {
      const a = t[i << 1]!, b = t[(i << 1) + 1]!;
      if ((a | b) === 0) { t[i << 1] = lo; t[(i << 1) + 1] = hi; this.n++; return; }
      if (a === lo >>> 0 && b === hi >>> 0) return;
    }
  }

  clear(): void {
    if (this.n > 0) this.table.fill(0);
    this.n = 0;
  }

  private grow(): void {
    const old = this.table;
    this.mask = this.mask * 2 + 1;
    this.table = new Uint32Array(2 * (this.mask + 1));
    this.n = 0;
    for (let j = 0; j < old.length; j += 2) if ((old[j]! | old[j + 1]!) !== 0) this.add(old[j]!, old[j + 1]!);
  }
}

/** What a store holds, for a checkpoint: the table and the links' arrays. */
export interface StoreContents {
  readonly table: Uint32Array;
  readonly size: number;
  readonly links: Readonly<Record<string, Uint8Array | Uint16Array | Uint32Array | Float64Array>>;
}

export class FingerprintStore {
  private table: Uint32Array;
  private slots: number;
  private limit: number;
  private n = 0;
  readonly links: StoreLinks;

  /**
   * @param maxBytes memory the store may use before it refuses to grow (StoreFullError).
   * @param order 'bfs': states are added in breadth-first order (each one's
   *   parent added before it, parents in the order they were added), which the
   *   compact links need; 'any': a depth-first search, with full links and depths.
   */
  /** @param otherBytes what else counts against maxBytes (the queue), asked when the table would grow. */
  constructor(readonly maxBytes: number, actions: number, order: 'bfs' | 'any' = 'any', initialCapacity = 1 << 16, private readonly otherBytes: () => number = () => 0) {
    this.links = order === 'bfs' ? new BreadthFirstLinks(actions) : new FullLinks(actions);
    let slots = MIN_SLOTS;
    // Start small enough that a tight limit is enforced by the first growth.
    while (slots < initialCapacity && slots * 2 * 8 + this.links.bytesFor(Math.ceil(slots * 2 * MAX_LOAD)) <= maxBytes) slots *= 2;
    this.table = new Uint32Array(slots * 2);
    this.slots = slots;
    this.limit = Math.floor(slots * MAX_LOAD);
  }

  get size(): number { return this.n; }

  get bytes(): number { return this.table.byteLength + this.links.bytes; }

  /**
   * Adds the fingerprint (lo, hi). Returns the new state's id, or -1 when it
   * was already present. Parent, action and depth are recorded for new states.
   */
  add(lo: number, hi: number, parent: number, action: number, depth: number): number {
    const t = this.table;
    const slots = this.slots;
    let i = homeOf(lo, slots);
    for (;;) {
      const j = i << 1;
      const a = t[j]!;
      const b = t[j + 1]!;
      if ((a | b) === 0) return this.insertAt(j, lo, hi, parent, action, depth);
      if (a === lo >>> 0 && b === hi >>> 0) return -1;
      if (++i === slots) i = 0;
    }
  }

  /** The first word of lo's home slot: read ahead of add so that the slot is in the cache by then. */
  touch(lo: number): number {
    return this.table[homeOf(lo, this.slots) << 1]!;
  }

  /** The rare branch of add, out of its way (the probe loop stays small enough to be inlined where it is called). */
  private insertAt(j: number, lo: number, hi: number, parent: number, action: number, depth: number): number {
    this.table[j] = lo;
    this.table[j + 1] = hi;
    const id = this.n++;
    this.links.add(id, parent, action, depth);
    if (this.n > this.limit) this.growTable();
    return id;
  }

  /** Whether the fingerprint (lo, hi) is stored (partial-order reduction's cycle proviso asks). */
  has(lo: number, hi: number): boolean {
    const t = this.table;
    const slots = this.slots;
    for (let i = homeOf(lo, slots); ; ) {
      const a = t[i << 1]!, b = t[(i << 1) + 1]!;
      if ((a | b) === 0) return false;
      if (a === lo >>> 0 && b === hi >>> 0) return true;
      if (++i === slots) i = 0;
    }
  }

  /** The store, for a checkpoint: the table (a view) and the links of the first n states (copies). */
  contents(n = this.n): StoreContents {
    return { table: this.table, size: n, links: this.links.contents(n) };
  }

  /**
   * The fingerprint table without the given fingerprints (lo, hi pairs), as
   * a new table of the same size: the store as it was before they were
   * added, for a checkpoint taken back to the start of a level.
   */
  tableWithout(fps: Uint32Array): Uint32Array {
    const t = this.table;
    const slots = this.slots;
    const drop = new Uint8Array(slots);
    for (let k = 0; k < fps.length; k += 2) {
      const lo = fps[k]! >>> 0, hi = fps[k + 1]! >>> 0;
      for (let i = homeOf(lo, slots); (t[i << 1]! | t[(i << 1) + 1]!) !== 0; i = i + 1 === slots ? 0 : i + 1) {
        if (t[i << 1] === lo && t[(i << 1) + 1] === hi) { drop[i] = 1; break; }
      }
    }
    const out = new Uint32Array(t.length);
    for (let i = 0; i < slots; i++) {
      if ((t[i << 1]! | t[(i << 1) + 1]!) === 0 || drop[i]) continue;
      insertInto(out, slots, t[i << 1]!, t[(i << 1) + 1]!);
    }
    return out;
  }

  /** Takes over a store saved by contents() (checkpoint.ts). */
  restore(s: StoreContents): void {
    this.table = s.table;
    this.slots = s.table.length / 2;
    this.limit = Math.floor(this.slots * MAX_LOAD);
    this.n = s.size;
    this.links.restore(s.links, s.size);
  }

  parent(id: number): number { return this.links.parent(id); }
  action(id: number): number { return this.links.action(id); }
  depth(id: number): number { return this.links.depth(id); }

  private growTable(): void {
    const old = this.table;
    const oldSlots = this.slots;
    const slots = grownSlots(oldSlots);
    const extra = slots * 8 + this.links.bytesFor(Math.ceil(slots * MAX_LOAD)) - this.links.bytes;
    if (this.bytes + extra + this.otherBytes() > this.maxBytes) {
      throw new StoreFullError(
        `fingerprint store full: ${this.n.toLocaleString('en-US')} states use ${(this.bytes / 2 ** 20).toFixed(0)} MiB ` +
        `and growing needs ${(extra / 2 ** 20).toFixed(0)} MiB more, over the limit of ${(this.maxBytes / 2 ** 20).toFixed(0)} MiB (--max-memory)`);
    }
    const t = new Uint32Array(slots * 2);
    for (let j = 0; j < old.length; j += 2) {
      const a = old[j]!;
      const b = old[j + 1]!;
      if ((a | b) !== 0) insertInto(t, slots, a, b);
    }
    this.table = t;
    this.slots = slots;
    this.limit = Math.floor(slots * MAX_LOAD);
  }
}

function insertInto(t: Uint32Array, slots: number, lo: number, hi: number): void {
  let i = homeOf(lo, slots);
  while ((t[i << 1]! | t[(i << 1) + 1]!) !== 0) if (++i === slots) i = 0;
  t[i << 1] = lo;
  t[(i << 1) + 1] = hi;
}

// The set of visited states: 64-bit fingerprints in an open-addressing table
// (two Uint32 words per slot, linear probing), plus per-state parent links
// and the action instance that first reached each state, indexed by a dense
// state id. The links are all a trace needs: the engine replays them.

import { StoreFullError } from './errors.js';

const MAX_LOAD = 0.7;

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
    if (this.n + 1 > (this.mask + 1) * MAX_LOAD) this.grow();
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
export const NO_PARENT = 0xffffffff;

export class FingerprintStore {
  private table: Uint32Array;
  private mask: number;
  private parents: Uint32Array;
  private actions: Uint32Array;
  private depths: Uint32Array;
  private n = 0;

  /** @param maxBytes memory the store may use before it refuses to grow (StoreFullError). */
  constructor(readonly maxBytes: number, initialCapacity = 1 << 16) {
    let cap = 16;
    // Start small enough that a tight limit is enforced by the first growth.
    while (cap < initialCapacity && cap * 28 <= maxBytes) cap <<= 1;
    this.table = new Uint32Array(cap * 2);
    this.mask = cap - 1;
    this.parents = new Uint32Array(cap >>> 1);
    this.actions = new Uint32Array(cap >>> 1);
    this.depths = new Uint32Array(cap >>> 1);
  }

  get size(): number { return this.n; }

  get bytes(): number {
    return this.table.byteLength + this.parents.byteLength + this.actions.byteLength + this.depths.byteLength;
  }

  /**
   * Adds the fingerprint (lo, hi). Returns the new state's id, or -1 when it
   * was already present. Parent, action and depth are recorded for new states.
   */
  add(lo: number, hi: number, parent: number, action: number, depth: number): number {
    const t = this.table;
    const mask = this.mask;
    let i = lo & mask;
    for (;;) {
      const j = i << 1;
      const a = t[j]!;
      const b = t[j + 1]!;
      if ((a | b) === 0) {
        t[j] = lo;
        t[j + 1] = hi;
        const id = this.n++;
        if (id >= this.parents.length) this.growLinks();
        this.parents[id] = parent;
        this.actions[id] = action;
        this.depths[id] = depth;
        if (this.n > (mask + 1) * MAX_LOAD) this.growTable();
        return id;
      }
      if (a === lo >>> 0 && b === hi >>> 0) return -1;
      i = (i + 1) & mask;
    }
  }

  /** Whether the fingerprint (lo, hi) is stored (partial-order reduction's cycle proviso asks). */
  has(lo: number, hi: number): boolean {
    const t = this.table;
    const mask = this.mask;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const a = t[i << 1]!, b = t[(i << 1) + 1]!;
      if ((a | b) === 0) return false;
      if (a === lo >>> 0 && b === hi >>> 0) return true;
    }
  }

  /** The whole store, for a checkpoint (views, not copies). */
  contents(): { table: Uint32Array; parents: Uint32Array; actions: Uint32Array; depths: Uint32Array; size: number } {
    return { table: this.table, parents: this.parents, actions: this.actions, depths: this.depths, size: this.n };
  }

  /**
   * The fingerprint table without the given fingerprints (lo, hi pairs), as
   * a new table of the same size: the store as it was before they were
   * added, for a checkpoint taken back to the start of a level.
   */
  tableWithout(fps: Uint32Array): Uint32Array {
    const t = this.table;
    const mask = this.mask;
    const drop = new Uint8Array(mask + 1);
    for (let k = 0; k < fps.length; k += 2) {
      const lo = fps[k]! >>> 0, hi = fps[k + 1]! >>> 0;
      for (let i = lo & mask; (t[i << 1]! | t[(i << 1) + 1]!) !== 0; i = (i + 1) & mask) {
        if (t[i << 1] === lo && t[(i << 1) + 1] === hi) { drop[i] = 1; break; }
      }
    }
    const out = new Uint32Array(t.length);
    for (let i = 0; i <= mask; i++) {
      const a = t[i << 1]!, b = t[(i << 1) + 1]!;
      if ((a | b) === 0 || drop[i]) continue;
      let j = a & mask;
      while ((out[j << 1]! | out[(j << 1) + 1]!) !== 0) j = (j + 1) & mask;
      out[j << 1] = a;
      out[(j << 1) + 1] = b;
    }
    return out;
  }

  /** Takes over a store saved by contents() (checkpoint.ts). */
  restore(s: { table: Uint32Array; parents: Uint32Array; actions: Uint32Array; depths: Uint32Array; size: number }): void {
    this.table = s.table;
    this.mask = s.table.length / 2 - 1;
    this.parents = s.parents;
    this.actions = s.actions;
    this.depths = s.depths;
    this.n = s.size;
  }

  parent(id: number): number { return this.parents[id]!; }
  action(id: number): number { return this.actions[id]!; }
  depth(id: number): number { return this.depths[id]!; }

  private ensureRoom(extra: number): void {
    if (this.bytes + extra > this.maxBytes) {
      throw new StoreFullError(
        `fingerprint store full: ${this.n.toLocaleString('en-US')} states use ${(this.bytes / 2 ** 20).toFixed(0)} MiB ` +
        `and growing needs ${(extra / 2 ** 20).toFixed(0)} MiB more, over the limit of ${(this.maxBytes / 2 ** 20).toFixed(0)} MiB (--max-memory)`);
    }
  }

  private growLinks(): void {
    const cap = this.parents.length * 2;
    this.ensureRoom(cap * 12 - this.parents.byteLength * 3);
    const grow = (a: Uint32Array) => { const b = new Uint32Array(cap); b.set(a); return b; };
    this.parents = grow(this.parents);
    this.actions = grow(this.actions);
    this.depths = grow(this.depths);
  }

  private growTable(): void {
    const old = this.table;
    const cap = (this.mask + 1) * 2;
    this.ensureRoom(cap * 8);
    const t = new Uint32Array(cap * 2);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      const a = old[j]!;
      const b = old[j + 1]!;
      if ((a | b) === 0) continue;
      let i = a & mask;
      while ((t[i << 1]! | t[(i << 1) + 1]!) !== 0) i = (i + 1) & mask;
      t[i << 1] = a;
      t[(i << 1) + 1] = b;
    }
    this.table = t;
    this.mask = mask;
  }
}

// The shared fingerprint table's operations that are not in a worker's hot
// loop: inserting the initial states (coordinator), moving entries into a
// grown table (workers, a range each, concurrently), finding a state's
// final key. The slot format is described in protocol.ts.

import { LOCKED, SLOT_WORDS } from './protocol.js';

export function allocTable(capacity: number): SharedArrayBuffer {
  return new SharedArrayBuffer(capacity * SLOT_WORDS * 4);
}

/** Fingerprint halves as the table stores them: both non-zero. */
export function nonZero(x: number): number {
  return x === 0 ? 1 : x;
}

/**
 * Inserts (lo, hi) with key (rank, inst), or lowers the key of the entry
 * already there to (rank, inst) when smaller. Safe to run concurrently with
 * other inserts into the same table. Returns true when the state is new.
 * The caller guarantees a free slot exists (the load is bounded). The worker
 * hot loop has its own copy of this code (worker-engine.ts).
 */
export function insert(t: Uint32Array, mask: number, lo: number, hi: number, rank: number, inst: number): boolean {
  const rank1 = rank + 1;
  let i = lo & mask;
  for (;;) {
    const j = i << 2;
    let a = t[j]!;
    if (a === 0) {
      a = Atomics.compareExchange(t, j, 0, lo);
      if (a === 0) {
        t[j + 2] = rank1;
        t[j + 3] = inst;
        Atomics.store(t, j + 1, hi); // publishes the key with it
        return true;
      }
    }
    if (a === lo) {
      let b = t[j + 1]!;
      while (b === 0) b = Atomics.load(t, j + 1);
      if (b === hi) {
        // Plain reads: hi is written once, and keys only decrease, so a stale
        // key errs on the side of taking the lock, except a key not yet
        // visible at all (0), which is read again after synchronising on hi.
        let r = t[j + 2]!;
        if (r === 0) { Atomics.load(t, j + 1); r = Atomics.load(t, j + 2); }
        if (rank1 < r) lowerKey(t, j, rank1, inst);
        return false;
      }
    }
    i = (i + 1) & mask;
  }
}

/** Lowers the key of the slot at word j to (rank1 - 1, inst) if smaller, holding the inst word as a lock. */
export function lowerKey(t: Uint32Array, j: number, rank1: number, inst: number): void {
  for (;;) {
    const held = Atomics.load(t, j + 3);
    if (held === LOCKED) continue;
    if (Atomics.compareExchange(t, j + 3, held, LOCKED) !== held) continue;
    if (rank1 < Atomics.load(t, j + 2)) {
      Atomics.store(t, j + 2, rank1);
      Atomics.store(t, j + 3, inst);
    } else {
      Atomics.store(t, j + 3, held);
    }
    return;
  }
}

/** The slot index (in words) holding (lo, hi); the fingerprint must be present. */
export function slotOf(t: Uint32Array, mask: number, lo: number, hi: number): number {
  let i = lo & mask;
  for (;;) {
    const j = i << 2;
    if (t[j] === lo && t[j + 1] === hi) return j;
    if (t[j] === 0) throw new Error('parallel search: a stored state is missing from the fingerprint table');
    i = (i + 1) & mask;
  }
}

/**
 * Moves the entries of from[start, end) (slot indices) into `to`, a table
 * twice as large, concurrently with other ranges. An entry whose home slot
 * in `from` is h has its home at h or h + |from| in `to`, so a range's
 * entries land in two regions of `to` that no other range writes:
 * [start, end) and [start + |from|, end + |from|). Entries are written
 * there with plain stores, in order (a near-sequential stream, not random
 * access); the few whose probe would leave the regions (displaced across a
 * range boundary, or wrapped around the table end) are returned instead,
 * four words each, for the caller to insert once every range is done.
 */
export function rehashRange(from: Uint32Array, to: Uint32Array, start: number, end: number): Uint32Array {
  const oldCap = from.length / SLOT_WORDS;
  const mask = to.length / SLOT_WORDS - 1;
  const deferred: number[] = [];
  for (let s = start; s < end; s++) {
    const j = s << 2;
    const lo = from[j]!;
    if (lo === 0) continue;
    let i = lo & mask;
    const regionEnd = i < oldCap ? end : end + oldCap;
    if (i < (i < oldCap ? start : start + oldCap)) { deferred.push(lo, from[j + 1]!, from[j + 2]!, from[j + 3]!); continue; }
    for (;;) {
      if (i >= regionEnd) { deferred.push(lo, from[j + 1]!, from[j + 2]!, from[j + 3]!); break; }
      const k = i << 2;
      if (to[k] === 0) {
        to[k] = lo;
        to[k + 1] = from[j + 1]!;
        to[k + 2] = from[j + 2]!;
        to[k + 3] = from[j + 3]!;
        break;
      }
      i++;
    }
  }
  return Uint32Array.from(deferred);
}

/** Inserts entries that rehashRange deferred (four words each), with the table to itself. */
export function insertDeferred(to: Uint32Array, entries: Uint32Array): void {
  const mask = to.length / SLOT_WORDS - 1;
  for (let e = 0; e < entries.length; e += 4) {
    let i = entries[e]! & mask;
    while (to[i << 2] !== 0) i = (i + 1) & mask;
    const k = i << 2;
    to[k] = entries[e]!;
    to[k + 1] = entries[e + 1]!;
    to[k + 2] = entries[e + 2]!;
    to[k + 3] = entries[e + 3]!;
  }
}

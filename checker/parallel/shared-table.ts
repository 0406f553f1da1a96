// The shared fingerprint table and the level's arena of new states, and the
// operations on them that are not in a worker's hot loop: reserving the
// table, inserting the initial states (coordinator), growing the table in
// place, finding an entry's slot. The formats are described in protocol.ts.

import { homeOf } from '../store.js';
import { ENTRY_HEAD, LOCKED, MARK, SEGMENT_BITS, SLOT_WORDS } from './protocol.js';

/** Fingerprint low words as the table stores them: non-zero (0 marks an empty slot). */
export function nonZero(x: number): number {
  return x === 0 ? 1 : x;
}

/** Fingerprint high words as the table stores them: 31 bits (the top bit marks a new state's arena entry), non-zero. */
export function tableHi(x: number): number {
  const h = x & 0x7fffffff;
  return h === 0 ? 1 : h;
}

// Homes are the sequential store's (lo scaled, so they keep lo's order at every
// size) and so is growth (by half: the table stays 50-75 % full, not 37-75 %).
export { grownSlots, homeOf } from '../store.js';

/**
 * The table's buffer: room for `slots` slots, reserved, not committed. The
 * table uses a prefix of it and grows in place; the system gives memory only
 * to the pages written (a prefix), so the peak is the table's size, without a
 * second copy while it grows. Fewer slots when the system refuses the
 * reservation; at least `least`.
 */
export function reserveTable(slots: number, least: number): { sab: SharedArrayBuffer; capacity: number } {
  let cap = Math.max(least, Math.min(slots, 2 ** 30 - 1));
  for (;;) {
    try {
      return { sab: new SharedArrayBuffer(cap * SLOT_WORDS * 4), capacity: cap };
    } catch (e) {
      if (!(e instanceof RangeError) || cap <= least) throw e;
      cap = Math.max(least, Math.floor(cap / 2));
    }
  }
}

/** Inserts a state with its final high word, with the table to itself (the coordinator's initial states). True when new. */
export function insertFinal(t: Uint32Array, slots: number, lo: number, hi: number): boolean {
  for (let s = homeOf(lo, slots); ; s = s + 1 === slots ? 0 : s + 1) {
    const j = s << 1;
    if (t[j] === 0) { t[j] = lo; t[j + 1] = hi; return true; }
    if (t[j] === lo && t[j + 1] === hi) return false;
  }
}

/** Lowers the key of the arena entry at word `at` to (rank1 - 1, inst) if smaller, holding the inst word as a lock. */
export function lowerKey(a: Uint32Array, at: number, rank1: number, inst: number): void {
  for (;;) {
    const held = Atomics.load(a, at + 3);
    if (held === LOCKED) continue;
    if (Atomics.compareExchange(a, at + 3, held, LOCKED) !== held) continue;
    if (rank1 < Atomics.load(a, at + 2)) {
      Atomics.store(a, at + 2, rank1);
      Atomics.store(a, at + 3, inst);
    } else {
      Atomics.store(a, at + 3, held);
    }
    return;
  }
}

/** The slot (word index) holding (lo, second); the entry must be present. */
export function slotOf(t: Uint32Array, slots: number, lo: number, second: number): number {
  for (let s = homeOf(lo, slots); ; s = s + 1 === slots ? 0 : s + 1) {
    const j = s << 1;
    if (t[j] === lo && t[j + 1] === second) return j;
    if (t[j] === 0) throw new Error('parallel search: a stored state is missing from the fingerprint table');
  }
}

/**
 * Grows the table from `slots` to `to` slots in place (the buffer holds both;
 * the slots past `slots` are empty), with the table to itself. Homes only
 * move up as the table grows (homeOf is monotone in the size), so entries are
 * moved from the last slot down: an entry whose new home is at or above its
 * old slot can be placed at the first free slot from there, which no entry
 * still to be moved can occupy. The few that cannot (a home that moves less
 * than the entry's displacement, near the table's start; a cluster that wraps
 * around the end) are set aside and inserted once every other entry is in.
 */
export function growInPlace(t: Uint32Array, slots: number, to: number): void {
  const aside: number[] = [];
  // The run at the start may hold entries that wrapped around the end.
  for (let s = 0; s < slots && t[s << 1] !== 0; s++) {
    aside.push(t[s << 1]!, t[(s << 1) + 1]!);
    t[s << 1] = 0;
    t[(s << 1) + 1] = 0;
  }
  for (let s = slots - 1; s >= 0; s--) {
    const j = s << 1;
    const lo = t[j]!;
    if (lo === 0) continue;
    const second = t[j + 1]!;
    t[j] = 0;
    t[j + 1] = 0;
    let i = homeOf(lo, to);
    if (i < s) { aside.push(lo, second); continue; }
    while (i < to && t[i << 1] !== 0) i++;
    if (i === to) { aside.push(lo, second); continue; }
    t[i << 1] = lo;
    t[(i << 1) + 1] = second;
  }
  for (let k = 0; k < aside.length; k += 2) {
    let i = homeOf(aside[k]!, to);
    while (t[i << 1] !== 0) i = i + 1 === to ? 0 : i + 1;
    t[i << 1] = aside[k]!;
    t[(i << 1) + 1] = aside[k + 1]!;
  }
}

/**
 * Gives each of the arena entries [start, end) its table slot's final high
 * word: during a level a new state's slot holds MARK + its entry index, so
 * that other engines reach its key through it. Run when the level's keys are
 * final, by each engine over its own range.
 */
export function settleEntries(t: Uint32Array, slots: number, arena: readonly Uint32Array[], ew: number, start: number, end: number): void {
  const segMask = (1 << SEGMENT_BITS) - 1;
  for (let e = start; e < end; e++) {
    const seg = arena[e >>> SEGMENT_BITS]!;
    const at = (e & segMask) * ew;
    const hi = seg[at + 1]!;
    if (hi === 0) continue; // an entry never used (the end of an engine's block)
    const lo = seg[at]!;
    t[slotOf(t, slots, lo, MARK + e) + 1] = hi;
  }
}

/** Words of one arena entry for states of `w` words. */
export const entryWords = (w: number): number => ENTRY_HEAD + w;

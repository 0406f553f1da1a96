// The fingerprints an engine has just looked up in its store, in a small
// direct-mapped table that stays in the core's own cache (1 MiB). Most
// successors are states reached a moment ago: the children of sibling states
// (next to each other in a breadth-first level) share their own children, so
// on bench (3,2) four look-ups in five find their fingerprint
// here and skip the store's table, whose slot is most often a miss all the
// way to memory. A fingerprint found here is in the store: only ones the
// store has already answered for are noted, and the store only grows.

/** The table has 2^RECENT_BITS slots, indexed by the low bits of a fingerprint's hi word. */
export const RECENT_BITS = 17;
const BITS = RECENT_BITS;
const MASK = (1 << BITS) - 1;

export class RecentFingerprints {
  // Slot k holds fingerprints whose hi has k in its low bits; it starts with a
  // hi that has not (~k), so an empty slot never matches.
  private readonly slots = new Int32Array(2 << BITS);

  constructor() {
    this.clear();
  }

  /** Forgets every fingerprint (when the store is replaced, as by a checkpoint's). */
  clear(): void {
    for (let k = 0; k <= MASK; k++) {
      this.slots[2 * k] = 0;
      this.slots[2 * k + 1] = ~k;
    }
  }

  /** Whether (lo, hi) was noted and not displaced since. */
  has(lo: number, hi: number): boolean {
    const j = (hi & MASK) << 1;
    return this.slots[j] === (lo | 0) && this.slots[j + 1] === (hi | 0);
  }

  /** Notes (lo, hi), which the store now holds. */
  note(lo: number, hi: number): void {
    const j = (hi & MASK) << 1;
    this.slots[j] = lo;
    this.slots[j + 1] = hi;
  }
}

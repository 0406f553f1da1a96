// The shared fingerprint table's operations, on their own.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENTRY_HEAD, MARK, SEGMENT_BITS } from '../../checker/parallel/protocol.js';
import { grownSlots, growInPlace, homeOf, insertFinal, lowerKey, settleEntries, slotOf, tableHi } from '../../checker/parallel/shared-table.js';

const fpArb = fc.tuple(fc.integer({ min: 1, max: 0xffffffff }), fc.integer({ min: 1, max: 0x7fffffff }));

describe('shared fingerprint table', () => {
  it('insertFinal reports a state new once; states sharing a home slot are told apart by the high word', () => {
    const t = new Uint32Array(2 * 16);
    expect(insertFinal(t, 16, 5, 9)).toBe(true);
    expect(insertFinal(t, 16, 5, 9)).toBe(false);
    expect(insertFinal(t, 16, 5, 10)).toBe(true);
    expect(insertFinal(t, 16, 7, 9)).toBe(true); // same home (slot 0), another state
    expect(t[slotOf(t, 16, 5, 10) + 1]).toBe(10);
    expect(homeOf(0xffffffff, 16)).toBe(15);
    expect(tableHi(0x80000000)).toBe(1); // the top bit is the arena mark; 0 is "not yet published"
  });

  it('growing in place keeps every entry findable, wrapped clusters and crowded starts included', () => {
    fc.assert(fc.property(fc.uniqueArray(fpArb, { minLength: 1, maxLength: 170, selector: ([lo]) => lo }), fc.integer({ min: 0, max: 2 }), (fps, steps) => {
      const slots = 200;
      let to = slots;
      for (let k = 0; k <= steps; k++) to = grownSlots(to);
      const t = new Uint32Array(2 * to);
      // Crowd both ends so that clusters wrap around the end and pile up at the start.
      const crowded = fps.map(([lo, hi], k): [number, number] => (k % 3 === 0 ? [(0xffffffff - (lo & 0xffff)) >>> 0, hi] : k % 3 === 1 ? [(lo & 0xffff) + 1, hi] : [lo, hi]));
      const uniq = [...new Map(crowded.map((f) => [f[0], f])).values()];
      for (const [lo, hi] of uniq) insertFinal(t, slots, lo, hi);
      let size = slots;
      while (size < to) { const next = grownSlots(size); growInPlace(t, size, next); size = next; }
      let n = 0;
      for (let s = 0; s < to; s++) if (t[2 * s] !== 0) n++;
      expect(n).toBe(uniq.length);
      for (const [lo, hi] of uniq) expect(insertFinal(t, to, lo, hi)).toBe(false);
    }), { numRuns: 300 });
  });

  it('lowerKey keeps the smallest (rank, inst); settleEntries gives new states their final high word', () => {
    const ew = ENTRY_HEAD + 1;
    const seg = new Uint32Array((1 << SEGMENT_BITS) * ew);
    const t = new Uint32Array(2 * 16);
    // entry 3: state (lo 5, hi 9), first found from rank 40 by instance 3
    seg.set([5, 9, 41, 3], 3 * ew);
    t[2 * homeOf(5, 16)] = 5;
    t[2 * homeOf(5, 16) + 1] = MARK + 3;
    lowerKey(seg, 3 * ew, 42, 0);
    expect([seg[3 * ew + 2], seg[3 * ew + 3]]).toEqual([41, 3]);
    lowerKey(seg, 3 * ew, 13, 6);
    expect([seg[3 * ew + 2], seg[3 * ew + 3]]).toEqual([13, 6]);
    settleEntries(t, 16, [seg], ew, 0, 8); // entries 0-2 and 4-7 were never used (hi 0)
    expect(t[slotOf(t, 16, 5, 9) + 1]).toBe(9);
    expect(insertFinal(t, 16, 5, 9)).toBe(false);
  });
});

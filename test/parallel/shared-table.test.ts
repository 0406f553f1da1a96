// The shared fingerprint table's operations, on their own.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocTable, insert, insertDeferred, rehashRange, slotOf } from '../../checker/parallel/shared-table.js';

/** A table of `cap` slots filled to `load` with random fingerprints; returns the table and the keys. */
function filled(cap: number, fps: [number, number][]): Uint32Array {
  const t = new Uint32Array(allocTable(cap));
  fps.forEach(([lo, hi], n) => insert(t, cap - 1, lo, hi, n, n % 7));
  return t;
}

const fpArb = fc.tuple(fc.integer({ min: 1, max: 0xffffffff }), fc.integer({ min: 1, max: 0xffffffff }));

describe('shared fingerprint table', () => {
  it('insert reports new states once and keeps the smallest key', () => {
    const t = new Uint32Array(allocTable(16));
    expect(insert(t, 15, 5, 9, 40, 3)).toBe(true);
    expect(insert(t, 15, 5, 9, 41, 0)).toBe(false);
    expect(insert(t, 15, 5, 9, 12, 6)).toBe(false); // a smaller parent id: the key drops to (12, 6)
    expect(insert(t, 15, 5, 9, 12, 7)).toBe(false);
    expect(insert(t, 15, 21, 9, 1, 1)).toBe(true); // same home slot (21 & 15 = 5), another state
    const j = slotOf(t, 15, 5, 9);
    expect([t[j + 2]! - 1, t[j + 3]]).toEqual([12, 6]);
  });

  it('rehashing in 1 to 4 ranges keeps every entry and its key, wrapped clusters included', () => {
    fc.assert(fc.property(fc.uniqueArray(fpArb, { minLength: 1, maxLength: 180, selector: ([lo, hi]) => `${lo},${hi}` }), fc.integer({ min: 1, max: 4 }), (fps, parts) => {
      const cap = 256;
      // Crowd the last slots so that clusters wrap around the end of the table.
      const crowded = fps.map(([lo, hi], k): [number, number] => (k % 3 === 0 ? [((lo & ~0xff) | 0xfe) >>> 0 || 0xfe, hi] : [lo, hi]));
      const uniq = [...new Map(crowded.map((f) => [`${f[0]},${f[1]}`, f])).values()];
      const from = filled(cap, uniq);
      const to = new Uint32Array(allocTable(cap * 2));
      const part = Math.ceil(cap / parts);
      const deferred = Array.from({ length: parts }, (_, w) => rehashRange(from, to, Math.min(cap, w * part), Math.min(cap, (w + 1) * part)));
      for (const d of deferred) insertDeferred(to, d);
      let n = 0;
      for (let s = 0; s < cap * 2; s++) if (to[s * 4] !== 0) n++;
      expect(n).toBe(uniq.length);
      uniq.forEach(([lo, hi], k) => {
        const j = slotOf(to, cap * 2 - 1, lo, hi);
        expect([to[j + 2]! - 1, to[j + 3]]).toEqual([k, k % 7]);
      });
    }), { numRuns: 300 });
  });
});

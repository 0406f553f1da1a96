// The engines' cache of fingerprints just looked up (checker/recent.ts): it
// may forget, but it must never claim a fingerprint it was not given, or the
// search would drop a new state as seen.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RECENT_BITS, RecentFingerprints } from '../../checker/recent.js';

const mask = (1 << RECENT_BITS) - 1;

describe('RecentFingerprints', () => {
  it('holds nothing at first, not even the fingerprints an empty slot is made of', () => {
    const r = new RecentFingerprints();
    for (let k = 0; k <= mask; k += 97) {
      expect(r.has(0, k)).toBe(false);
      expect(r.has(0, ~k)).toBe(false);
      expect(r.has(0, ~k >>> 0)).toBe(false);
    }
    expect(r.has(0, 0)).toBe(false);
  });

  it('forgets everything when cleared', () => {
    const r = new RecentFingerprints();
    r.note(7, 9);
    expect(r.has(7, 9)).toBe(true);
    r.clear();
    expect(r.has(7, 9)).toBe(false);
  });

  it('answers as a table of the last fingerprint noted for each low-bits value of hi', () => {
    const word = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1, 0xffffffff, mask, ~mask >>> 0));
    // Few distinct his, so that notes displace one another.
    const fp = fc.tuple(word, fc.oneof(word, fc.integer({ min: 0, max: 3 }).map((k) => (k << RECENT_BITS) | 5)));
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fp), { maxLength: 200 }), (ops) => {
      const r = new RecentFingerprints();
      const last = new Map<number, string>();
      for (const [note, [lo, hi]] of ops) {
        if (note) { r.note(lo, hi); last.set(hi & mask, `${lo | 0},${hi | 0}`); }
        expect(r.has(lo, hi)).toBe(last.get(hi & mask) === `${lo | 0},${hi | 0}`);
      }
    }));
  });
});

// The verdicts do not hang on the default sizes: a third process, or a
// third write, gives the same table (each design's files are independent,
// so more files only multiply the states).

import { describe, expect, it } from 'vitest';
import { verdicts } from '../../testkit/dax.js';

describe('dax verdicts at larger sizes', () => {
  const base = verdicts().table;
  // The two largest designs at procs=3 (set-only-on-empty-file 1.3 M states, flip-without-flush 0.6 M) take half a
  // minute between them; `daxcheck matrix dax --const procs=3` gives the same table for them too (checked by hand).
  it('procs=3 gives the same table', () => {
    const designs = Object.keys(base).filter((d) => d !== 'set-only-on-empty-file' && d !== 'flip-without-flush');
    const { table } = verdicts({ procs: 3 }, designs);
    expect(table).toEqual(Object.fromEntries(designs.map((d) => [d, base[d]])));
  });
  it('versions=3 gives the same table: two versions already tell a fresh copy from a stale one in both places', () => {
    expect(verdicts({ versions: 3 }).table).toEqual(base);
  });
});

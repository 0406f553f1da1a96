// The verdicts do not hang on the default sizes: a third process, or a
// third write, gives the same table (each design's files are independent,
// so more files only multiply the states).

import { describe, expect, it } from 'vitest';
import { verdicts } from '../../testkit/dax.js';

describe('dax verdicts at larger sizes', () => {
  const base = verdicts().table;
  // At procs=3 the lock-cut designs have up to a million states each (minutes on a shared core); the test checks the
  // designs cut atomically and Jan Kara's locked one, and `daxcheck matrix dax --const procs=3` gives the same table
  // for the rest too (run by hand; README "The verdict table").
  it('procs=3 gives the same table', () => {
    const designs = ['ebusy-block-new-mappings', 'instantiate-only', 'virtiofs-v3-isdax-bug', 'virtiofs-v6', 'virtiofs-dontcache-at-ioctl'];
    const { table } = verdicts({ procs: 3 }, designs);
    expect(table).toEqual(Object.fromEntries(designs.map((d) => [d, base[d]])));
  });
  it('versions=3 gives the same table: two versions already tell a fresh copy from a stale one in both places', () => {
    expect(verdicts({ versions: 3 }).table).toEqual(base);
  });
});

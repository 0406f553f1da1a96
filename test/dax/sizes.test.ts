// The verdicts do not hang on the default sizes: a third process, or a
// third write, gives the same table (each design's files are independent,
// so more files only multiply the states).

import { describe, expect, it } from 'vitest';
import { verdicts } from '../../testkit/dax.js';

describe('dax verdicts at larger sizes', () => {
  const base = verdicts().table;
  it('procs=3 gives the same table', () => {
    expect(verdicts({ procs: 3 }).table).toEqual(base);
  });
  it('versions=3 gives the same table: two versions already tell a fresh copy from a stale one in both places', () => {
    expect(verdicts({ versions: 3 }).table).toEqual(base);
  });
});

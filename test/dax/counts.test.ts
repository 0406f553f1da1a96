// A configuration small enough to count by hand.

import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { check } from '../../checker/search.js';
import { daxModel } from '../../spec/dax/index.js';

describe('dax state counts', () => {
  it('one process, one file, one write, dax=never, no reclaim: 68 states, as counted by hand', () => {
    // dax=never: S_DAX is 0 and nothing is ever marked, so with reclaim off an inode, once looked up, stays.
    // Never looked up: FS_XFLAG_DAX x size (empty|small) = 4 initial states, from which only Open (or Statx) moves.
    // Looked up, FS_XFLAG_DAX is free (SetFlag toggles it through an open fd, and both start values exist): x 2.
    // The data (size, lastWrite, storage, page cache):
    //   nothing written: size empty|small x page cache none|clean (version 0)        4
    //   written once (size small): dirty page v1 with storage 0, or clean v1 after writeback (storage 1)   2
    // The process (fd closed|open, VMA none|page cache, PTE none|ro|rw) allowed by each data state:
    //   empty file: no fault (SIGBUS), so no PTE: fd 2 x VMA 2                       4 + 4  (page cache none|clean)
    //   small, unwritten, no page: no PTE: 4; a clean page: PTE none|ro: 2 x (1 + 2) = 6
    //   written, dirty: PTE none|ro|rw: 2 x (1 + 3) = 8; clean after writeback: rw became ro: 6
    //   (Store needs a second write, which the bound forbids.)
    // 4 + 4 + 4 + 6 + 8 + 6 = 32 looked-up states, x 2 for the flag = 64, + 4 = 68.
    const r = check(compile(daxModel, 'instantiate-only', { procs: 1, versions: 1, mount: 'never', reclaim: 'off' }), { continueAfterViolation: true });
    expect(r.complete).toBe(true);
    expect(r.distinctStates).toBe(68);
    expect(r.deadlock).toBeUndefined();
  });
});

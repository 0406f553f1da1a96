// State counts derived by hand on the smallest configuration: one file slot,
// one VMA slot, one process (so no fork and no split), one backing id.

import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { check } from '../../checker/search.js';
import { passthroughModel } from '../../spec/passthrough/index.js';

const tiny = { files: 1, vmas: 1, procs: 1, backings: 1 };

describe('hand-derived state counts at files=1 vmas=1 procs=1', () => {
  // The states with no refused call recorded are the same 20 in every design (only the counter
  // and iomode inside them differ, and those follow from the rest):
  //   nothing open                                                                        1
  //   caching file: held with no VMA, or held/unheld with a MAP_PRIVATE or MAP_SHARED VMA  5
  //     (unheld with no VMA is released)
  //   direct-io file, by the ghost everMapped:                                             9
  //     never: held, no VMA (1); MAP_PRIVATE: held, held+private, unheld+private (3);
  //     MAP_SHARED: held, held+private, held+shared, unheld+private, unheld+shared (5)
  //   passthrough file held, without or with its backing-file VMA                          2
  //     (closing it releases it at once: the backing VMA does not pin the fuse_file)
  //   the backing-file VMA alone, or beside a new caching or direct-io open                3
  //   1 + 5 + 9 + 2 + 3 = 20
  // Each state then has one more copy per distinct refused call it allows:
  //   - the 2 passthrough states refuse Open(caching) and Open(FOPEN_DIRECT_IO) with EIO: +4;
  //   - every state with iocachectr > 0 refuses Open(FOPEN_PASSTHROUGH): +1 each.
  // iocachectr > 0 in the 5 caching states and the caching open beside a backing VMA (6), plus
  //   landed: the 5 direct-io states with everMapped = MAP_SHARED            -> 11: 20 + 4 + 11 = 35
  //   cache-mmap-taint: the 8 direct-io states mapped at all                  -> 14: 20 + 4 + 14 = 38
  //   vma-close-refcount: the 2 states with a live MAP_SHARED direct-io VMA   ->  8: 20 + 4 + 8  = 32
  // No mmap is ever refused here: no direct-io file is open while a fuse_backing is attached.
  const want: Record<string, number> = { landed: 35, 'cache-mmap-taint': 38, 'vma-close-refcount': 32 };
  for (const [design, n] of Object.entries(want)) {
    it(`${design}: ${n} states`, () => {
      const r = check(compile(passthroughModel, design, tiny), { continueAfterViolation: true });
      expect(r.complete).toBe(true);
      expect(r.deadlock).toBeUndefined();
      expect(r.distinctStates).toBe(n);
    });
  }
});

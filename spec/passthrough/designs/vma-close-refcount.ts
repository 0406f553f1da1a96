// The first idea in seed 004 (Amir Goldstein, 6 Dec 2023): "implement an
// iocachectr refcount to track cache mmaps", incremented in fuse_file_mmap and
// decremented in fuse_vma_close. "it keeps underflowing in fuse_vma_close()"
// because "maps can be cloned via fork() etc.": dup_mmap and __split_vma copy
// a VMA and only call vm_ops->open, which FUSE does not define.
//
// How it is modelled (no patch was posted; this is the reading of the mail):
// every MAP_SHARED mmap of a FOPEN_DIRECT_IO file passes the checks of
// fuse_file_cached_io_open and then adds one to iocachectr itself (no
// per-file ff->iomode, the count is per mapping); fuse_vma_close of such a
// VMA takes one off, with no guard, as fuse_file_cached_io_release would.
// MAP_PRIVATE is left alone, as in mainline.

import type { CacheMmapPolicy, PassthroughDesign } from '../policy.js';
import { FileKind, VmaMap, type S } from '../state.js';

export const vmaCloseRefcountPolicy: CacheMmapPolicy = {
  entersCachingMode: (shared) => shared,
  onCacheMmap: (s: S) => { s.iocachectr++; },
  onVmaClose: (s: S, v: number) => {
    const vma = s.vma[v];
    if (vma.map === VmaMap.MAP_SHARED && s.file[vma.file].kind === FileKind.FOPEN_DIRECT_IO) s.iocachectr--;
  },
  directIoFileHoldsRef: () => false,
  refPerSharedMapping: true,
};

export const vmaCloseRefcount: PassthroughDesign = {
  summary: 'seed 004 first idea: +1 on iocachectr per direct-io MAP_SHARED mmap, -1 in fuse_vma_close; fork and splits copy VMAs without a +1',
  source: 'seed 004_6db1f653422b084b.txt (Amir Goldstein, 6 Dec 2023): "fuse_vma_close() does not seem to be balanced with fuse_file_mmap()"',
  policy: vmaCloseRefcountPolicy,
  // The counter drifts down by one per fork-and-close-both round, without
  // end; the search stops expanding past the bound ModeCounterConsistent
  // already reports, so this design's run is exhaustive only up to it.
  constraint: ({ counterRange }) => (s: S) => s.iocachectr >= counterRange.lo,
};

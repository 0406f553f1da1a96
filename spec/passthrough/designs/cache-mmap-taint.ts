// Amir Goldstein's proposal (seed 004, 6 Dec 2023): "taint a direct_io file
// with FOPEN_CACHE_MMAP if it was ever mmaped using page cache. We will not try
// to clean this flag in fuse_vma_close(), it stays with the file until
// release. An FOPEN_CACHE_MMAP file forces an inode into caching mode, same as
// a regular caching open."
//
// How it is modelled: FOPEN_CACHE_MMAP never reached the uapi; the taint is
// the file's caching reference itself (ff->iomode = IOM_CACHED), which is how
// mainline later implemented the idea. Read literally, "ever mmaped using page
// cache" includes MAP_PRIVATE (a private mapping of a direct-io file is a
// page-cache mapping, generic_file_mmap), so here a private mmap taints too.
// That is the one difference from `landed`.

import { cachedIoOpen } from '../iomode.js';
import type { CacheMmapPolicy, PassthroughDesign } from '../policy.js';
import { EverMapped } from '../state.js';

export const cacheMmapTaintPolicy: CacheMmapPolicy = {
  entersCachingMode: () => true,
  onCacheMmap: cachedIoOpen,
  onVmaClose: () => {},
  directIoFileHoldsRef: (everMapped) => everMapped !== EverMapped.never,
  refPerSharedMapping: false,
};

export const cacheMmapTaint: PassthroughDesign = {
  summary: 'seed 004 proposal: any page-cache mmap of a direct-io file taints it (FOPEN_CACHE_MMAP) until release; the taint forces caching mode',
  source: 'seed 004_6db1f653422b084b.txt (Amir Goldstein, Re: [PATCH v14 00/12] FUSE passthrough for file io, 6 Dec 2023)',
  policy: cacheMmapTaintPolicy,
};

// What mainline does (fs/fuse/file.c fuse_file_mmap and fs/fuse/iomode.c,
// torvalds/linux a23e1966932464e1c5226cb9ac4ce1d5fc10ba22, v6.9+): the first
// MAP_SHARED mmap of a FOPEN_DIRECT_IO file takes the file's one caching
// reference (ff->iomode = IOM_CACHED, fuse_file_cached_io_open is idempotent),
// MAP_PRIVATE takes none, fuse_vma_close only writes back, and the reference
// goes at file release: "After first mmap, the inode stays in caching io mode
// until the direct_io file release." This is the model's base.

import { cachedIoOpen } from '../iomode.js';
import type { CacheMmapPolicy, PassthroughDesign } from '../policy.js';
import { EverMapped } from '../state.js';

export const landedPolicy: CacheMmapPolicy = {
  entersCachingMode: (shared) => shared,
  onCacheMmap: cachedIoOpen,
  // fuse_vma_close: write_inode_now + mapping_set_error, no mode change.
  onVmaClose: () => {},
  directIoFileHoldsRef: (everMapped) => everMapped === EverMapped.MAP_SHARED,
  refPerSharedMapping: false,
};

export const landed: PassthroughDesign = {
  summary: 'mainline v6.9+ (a23e1966): first MAP_SHARED mmap of a direct-io file makes it IOM_CACHED until release; MAP_PRIVATE takes no reference',
  source: 'torvalds/linux a23e1966 fs/fuse/file.c fuse_file_mmap, fs/fuse/iomode.c',
  policy: landedPolicy,
};

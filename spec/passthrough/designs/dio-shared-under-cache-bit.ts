// v6.9 to v6.11, before commit 2f3d8ff45798 ("fuse: use exclusive lock when
// FUSE_I_CACHE_IO_MODE is set", yangyun, 6.12-rc1, backported to 6.10 and
// 6.11 stable): fuse_dio_wr_exclusive_lock returned false ("no exclusive lock
// needed") when FUSE_I_CACHE_IO_MODE was set, so a parallel dio write took
// the shared lock and, the counter being <= 0, a new uncached reference, while
// a caching open slept waiting for the counter to come back to 0. The commit
// message: "If using shared lock, the wait in `fuse_file_cached_io_open` may be
// forever." (Fixes: 205c1d802683.) Everything else is v6.9 as landed
// (a23e1966, after Amir Goldstein's April 2024 fixes).
//
// Only dio writes differ (constant dioWrites > 0); without them this design
// is `landed`.

import type { PassthroughDesign } from '../policy.js';
import { landedPolicy } from './landed.js';

export const dioSharedUnderCacheBit: PassthroughDesign = {
  summary: 'v6.9-v6.11 before 2f3d8ff45798: a parallel dio write takes the shared lock although FUSE_I_CACHE_IO_MODE is set (a waiting caching open can starve)',
  source: 'commit 2f3d8ff45798 (stable 6.10/6.11 review: "This may be a typo... the wait in fuse_file_cached_io_open may be forever"), fs/fuse/file.c fuse_dio_wr_exclusive_lock',
  policy: landedPolicy,
  dio: { cacheIoModeForcesExclusive: false, perFileIomode: false },
};

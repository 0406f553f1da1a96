// v6.9-rc1 to -rc4: parallel dio writes used the per-file helpers of commit
// 205c1d802683 ("fuse: allow parallel dio writes with FUSE_DIRECT_IO_ALLOW_MMAP"):
// fuse_dio_lock called fuse_file_uncached_io_start(inode, ff, NULL), which set
// ff->iomode = IOM_UNCACHED for the write (WARN_ON(ff->iomode != IOM_NONE)
// first) and, with passthrough (4a90451bbc7f), refused with -EBUSY whenever a
// fuse_backing was attached ("if (oldfb && oldfb != fb)", fb being NULL), so
// such writes fell back to the exclusive lock; fuse_dio_unlock called
// fuse_file_uncached_io_end, which WARNs unless ff->iomode is IOM_UNCACHED and
// sets it back to IOM_NONE. FUSE_I_CACHE_IO_MODE did not force the exclusive
// lock either (2f3d8ff45798 came later).
//
// Fixed in v6.9-rc5 (fuse-fixes-6.9-rc5) by Amir Goldstein's
// 4864a6dd8320 "fuse: fix wrong ff->iomode state changes from parallel dio
// write" (the inode-level fuse_inode_uncached_io_start/_end) and
// 7cc911262835 "fuse: fix parallel dio write on file open in passthrough mode"
// (a NULL fuse_backing does not conflict). Cover letter, 7 Apr 2024,
// <20240407155758.575216-1-amir73il@gmail.com>: "For concurrent dio writes
// without any passthrough open, fuse_file_cached_io_start() was supposed to
// hit WARN_ON(ff->iomode == IOM_UNCACHED) if there is already a dio write
// in-flight." The per-file code is read from the removed lines of those two
// commits' diffs.

import type { PassthroughDesign } from '../policy.js';
import { landedPolicy } from './landed.js';

export const dioFileIomode: PassthroughDesign = {
  summary: 'v6.9-rc1..rc4 (205c1d802683): a parallel dio write sets and resets its file\'s ff->iomode, -EBUSY on any attached fuse_backing; fixed by 4864a6dd8320 and 7cc911262835',
  source: 'Amir Goldstein, [PATCH 1/3] and 2/3, 7 Apr 2024 <20240407155758.575216-2-amir73il@gmail.com>; commits 4864a6dd8320, 7cc911262835 (v6.9-rc5)',
  policy: landedPolicy,
  dio: { cacheIoModeForcesExclusive: false, perFileIomode: true },
};

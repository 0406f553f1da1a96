import { dcache510, dropCaches510 } from '../dcache-5.10.js';
import { reflinkedNotDax510, reflinkSetFlag510 } from '../reflink-5.10.js';
import type { DaxDesign } from './design.js';

/**
 * What landed in 5.8, as it stood up to 5.10: the same ioctl as
 * instantiate-only (d_mark_dontcache under dax=inode), with the dcache and
 * iput_final of then (spec/dax/dcache-5.10.ts); with unfit=reflink, xfs's
 * reflink exclusion of then (spec/dax/reflink-5.10.ts).
 */
export const instantiateOnly510: DaxDesign = {
  summary: 'ext4/xfs 5.8-5.10: as instantiate-only, but a REFERENCED dentry survives its DONTCACHE mark at the last dput (fast_dput), '
    + 'and a marked inode is evicted without writeback (generic_drop_inode); with unfit=reflink, xfs\'s reflink exclusion of then',
  source: 'v5.10 fs/dcache.c fast_dput, retain_dentry; fs/inode.c iput_final; include/linux/fs.h generic_drop_inode; fixed in 5.11 by '
    + '77573fa310d9 and 88149082bb8e (Hao Li, <20201110025907.5237-1-lihao2018.fnst@cn.fujitsu.com>, <20200904075939.176366-1-lihao2018.fnst@cn.fujitsu.com>); '
    + 'v5.10 fs/xfs/xfs_iops.c xfs_inode_supports_dax, fs/xfs/xfs_ioctl.c xfs_ioctl_setattr_prepare_dax / xfs_ioctl_setattr_xflags (reflink)',
  flavour: 'ext4/xfs',
  flavourChanges: (base, c) => ({ ...dcache510(base), ...(c.unfit === 'reflink' ? reflinkedNotDax510() : {}) }),
  changes: (ctx) => ({ dropCaches: dropCaches510, ...(ctx.c.unfit === 'reflink' ? { setFlag: reflinkSetFlag510(ctx) } : {}) }),
};

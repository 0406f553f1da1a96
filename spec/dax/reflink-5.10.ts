// A reflinked xfs file as 5.8-5.10 had it (unfit=reflink under the design
// instantiate-only-5.10). Read at v5.10 (fs/xfs/xfs_iops.c, fs/xfs/xfs_ioctl.c,
// fs/xfs/xfs_reflink.c).
//
// - iget: xfs_inode_supports_dax returns false for xfs_is_reflink_inode, before
//   it looks at the block size, the device or the mount option, so
//   xfs_inode_should_enable_dax gives S_DAX 0 even under dax=always.
// - The flag ioctl (xfs_ioctl_setattr, and xfs_ioc_setxflags for
//   FS_IOC_SETFLAGS, in this order): xfs_ioctl_setattr_check_projid, the
//   dquots, then xfs_ioctl_setattr_prepare_dax, which under dax=inode calls
//   d_mark_dontcache when the request changes FS_XFLAG_DAX; only then
//   xfs_ioctl_setattr_get_trans (ILOCK, -EPERM for a non-owner),
//   vfs_ioc_fssetxattr_check, the extent size checks and
//   xfs_ioctl_setattr_xflags, which returns -EINVAL ("Don't allow us to set
//   DAX mode for a reflinked file for now") for any request with FS_XFLAG_DAX
//   on a reflinked inode; the transaction is cancelled and the flag stays.
//   So setting the flag on a reflinked file fails and leaves the inode
//   I_DONTCACHE (and its dentry DCACHE_DONTCACHE): the last close evicts an
//   inode that the next iget makes non-DAX again. Clearing it succeeds (the
//   test is on the new flags), with the same mark.
// - A reflinked file may carry the flag: xfs_reflink_remap_prep refuses only
//   IS_DAX files ("Don't share DAX file data for now"), so a file whose flag
//   was set while its inode was not DAX (dax=never, or before its last close)
//   can be reflinked. Both values of the flag are initial states.
// 6.12 keeps the same order in xfs_fileattr_set (prepare_dax before
// get_trans and xfs_ioctl_setattr_xflags) but no longer tests reflink in
// either place (spec/dax/exclusions.ts).

import type { PartWayFailure, SetFlagRule } from './actions/setflag.js';
import { markDontcacheAtIoctl } from './actions/setflag.js';
import type { Ctx } from './context.js';
import { mountInEffect } from './exclusions.js';
import type { Flavour } from './flavour.js';
import { mountModeOf } from './mount.js';

/** v5.10 xfs_inode_supports_dax: a reflinked file is never DAX at iget. */
export function reflinkedNotDax510(): Partial<Flavour> {
  return { desiredDax: () => false };
}

/** v5.10 xfs_ioctl_setattr: d_mark_dontcache, then -EINVAL from xfs_ioctl_setattr_xflags when the request sets FS_XFLAG_DAX. */
export function reflinkSetFlag510(ctx: Ctx): SetFlagRule {
  const landed = markDontcacheAtIoctl(ctx);
  const marks = (s: Parameters<SetFlagRule['then']>[0]) => mountInEffect({ ...ctx.c, mount: mountModeOf(ctx, s) }) === 'inode';
  const failsPartWay: PartWayFailure = {
    fails: (_s, _p, _f, v) => v === 1,
    done: (s, p, f, v) => landed.then(s, p, f, v),
    changes: (s, _p, f) => marks(s) && (s.iDontcache[f] === 0 || s.dDontcache[f] === 0),
    error: '-EINVAL after d_mark_dontcache (reflinked file: xfs_ioctl_setattr_prepare_dax, then xfs_ioctl_setattr_xflags, v5.10)',
  };
  return { ...landed, failsPartWay };
}

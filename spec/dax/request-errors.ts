// The flag ioctl's error paths on ext4 and xfs, in the order the code runs
// them, read at 6.12.19 (fs/ioctl.c, fs/ext4/ioctl.c, fs/xfs/xfs_ioctl.c), and
// the two a file's owner can reach after the DONTCACHE mark (flagRequest=plus-refused).
//
// FS_IOC_FSSETXATTR (ioctl_fssetxattr) and FS_IOC_SETFLAGS (ioctl_setflags):
// copy_from_user -EFAULT, mnt_want_write_file -EROFS, then vfs_fileattr_set:
// -ENOIOCTLCMD without ->fileattr_set, inode_owner_or_capable -EPERM, then
// under inode_lock fileattr_set_prepare: -EPERM for APPEND/IMMUTABLE without
// CAP_LINUX_IMMUTABLE, fscrypt_prepare_setflags, -EINVAL for a project ID
// outside the init namespace, extent size hints on the wrong file type, and
// FS_XFLAG_DAX on a file that is neither regular nor a directory. Nothing of
// the inode has changed when any of these fails.
//
// ext4_fileattr_set: -EOPNOTSUPP for flags outside EXT4_FL_USER_VISIBLE or
// that ext4_mask_flags drops, ext4_ioctl_check_immutable -EPERM, then
// ext4_ioctl_setflags: a quota file -EPERM, the journal flag without
// CAP_SYS_RESOURCE -EPERM, dax_compatible -EOPNOTSUPP (spec/dax/exclusions.ts),
// casefold -EOPNOTSUPP/-ENOTDIR/-ENOTEMPTY, filemap_write_and_wait for a new
// IMMUTABLE, ext4_journal_start and ext4_reserve_inode_write (journal or I/O
// errors); then ext4_dax_dontcache marks the inode (dax=inode, the DAX bit
// changes), the flags are written and ext4_mark_iloc_dirty logs them (an I/O
// error there comes after the mark and the in-core flags). Past the journal
// stop: a changed journal flag on an IS_DAX inode -EBUSY, and
// ext4_change_inode_journal_flag. Then, back in ext4_fileattr_set,
// ext4_ioctl_setproject: without the project feature a project ID other than
// 0 is -EOPNOTSUPP. So an FS_IOC_FSSETXATTR that changes FS_XFLAG_DAX and asks
// for project ID 1 on such a filesystem marks the inode, writes the flag, and
// returns -EOPNOTSUPP: a request that fails and has done everything a
// successful one does.
//
// xfs_fileattr_set: -ENOTTY for a special file, -EOPNOTSUPP for FS_IOC_SETFLAGS
// flags xfs does not take, xfs_ioctl_setattr_check_projid -EINVAL, the dquots
// (-EDQUOT, -ENOMEM); then xfs_ioctl_setattr_prepare_dax marks the inode
// (dax=inode, the request changes FS_XFLAG_DAX); then
// xfs_ioctl_setattr_get_trans (-EROFS, -EIO on shutdown, quota reservation),
// xfs_ioctl_setattr_check_extsize and _check_cowextsize -EINVAL, and
// xfs_ioctl_setattr_xflags: changing FS_XFLAG_REALTIME on a file with data
// -EINVAL, switching an S_DAX file's device -EINVAL, FS_XFLAG_REALTIME
// without a realtime device -EINVAL, di_flags2 on a v4 inode -EINVAL. So an
// FS_IOC_FSSETXATTR that changes FS_XFLAG_DAX and sets FS_XFLAG_REALTIME on
// a filesystem without a realtime device marks the inode and fails with
// -EINVAL, the flag unchanged: the mark is spurious, and the last close
// evicts the inode. v5.10 xfs_ioctl_setattr had the same order (the reflink
// -EINVAL in xfs_ioctl_setattr_xflags, spec/dax/reflink-5.10.ts; and there
// -EPERM for a non-owner came only in xfs_ioctl_setattr_get_trans, after the
// mark, since xfs_ioc_fssetxattr did not go through vfs_fileattr_set).
//
// Left out: errors that need what the model has no state for (capabilities,
// quota, I/O and journal errors, immutable and casefold files).

import type { PartWayFailure } from './actions/setflag.js';
import { markDontcacheAtIoctl } from './actions/setflag.js';
import type { Ctx } from './context.js';
import { mountInEffect } from './exclusions.js';
import { mountModeOf } from './mount.js';
import type { S } from './state.js';

/** flagRequest=plus-refused on the landed ioctl: the second attribute the filesystem refuses after its mark. */
export function refusedAfterMark(ctx: Ctx): PartWayFailure | undefined {
  if (ctx.c.flagRequest !== 'plus-refused' || ctx.flavour.fs !== 'ext4/xfs') return undefined;
  const landed = markDontcacheAtIoctl(ctx);
  const marks = (s: S) => mountInEffect({ ...ctx.c, mount: mountModeOf(ctx, s) }) === 'inode';
  if (ctx.c.fs === 'xfs') {
    return {
      chosenBy: 'rt',
      fails: () => true,
      done: (s, p, f, v) => landed.then(s, p, f, v),
      changes: (s, _p, f) => marks(s) && (s.iDontcache[f] === 0 || s.dDontcache[f] === 0),
      error: '-EINVAL after d_mark_dontcache (FS_XFLAG_REALTIME without a realtime device: xfs_ioctl_setattr_xflags, v6.12)',
    };
  }
  return {
    chosenBy: 'projid',
    fails: () => true,
    done: (s, p, f, v) => { s.xflagDax[f] = v; landed.then(s, p, f, v); },
    changes: () => true,
    error: '-EOPNOTSUPP after the flag is written (project ID 1 without the project feature: ext4_ioctl_setproject, v6.12)',
  };
}

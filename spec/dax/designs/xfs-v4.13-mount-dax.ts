import { faultByInode } from '../fault-path.js';
import { flushAndInvalidate } from '../inode.js';
import { liveChange, type SetFlagRule } from '../actions/setflag.js';
import type { Ctx } from '../context.js';
import type { DaxDesign } from './design.js';

/**
 * xfs v4.13 mounted `-o dax` (XFS_MOUNT_DAX; v4.13 had no dax=inode|never).
 * fs/xfs/xfs_iops.c xfs_diflags_to_iflags (from xfs_setup_inode at iget):
 * S_DAX for a regular file when XFS_MOUNT_DAX *or* XFS_DIFLAG2_DAX (block
 * size = PAGE_SIZE, no reflink), so every file is DAX at iget. The flag ioctl
 * does not know the mount option: xfs_ioctl_setattr_dax_invalidate returns
 * early only when the *requested* FS_XFLAG_DAX equals IS_DAX ("If the DAX
 * state is not changing"), else writes back and invalidates under
 * XFS_IOLOCK_EXCL|XFS_MMAPLOCK_EXCL; then xfs_diflags_to_linux sets S_DAX
 * from the requested flag alone. So on a -o dax mount any FS_IOC_FSSETXATTR
 * without FS_XFLAG_DAX, one that leaves a clear flag clear included, turns
 * the live inode to the page cache, until the next iget makes it DAX again.
 */
export function mountDaxIoctl(ctx: Ctx): SetFlagRule {
  return {
    flipsLive: true,
    isAStep: (s, f, v) => s.xflagDax[f] !== v || s.sDax[f] !== v,
    then: (s, p, f, v) => {
      if (s.sDax[f] === v) return;
      flushAndInvalidate(s, f, ctx.P);
      s.sDax[f] = v;
      s.modeChange[f] = liveChange(s, p, f, ctx.P);
    },
  };
}

export const xfsV413MountDax: DaxDesign = {
  summary: 'xfs v4.13 mounted -o dax: every file DAX at iget; the ioctl compares the requested flag with IS_DAX and sets S_DAX from it, '
    + 'so clearing (or re-clearing) FS_XFLAG_DAX flips a live inode to the page cache on a DAX mount; faults ask IS_DAX',
  source: 'fs/xfs/xfs_iops.c xfs_diflags_to_iflags / xfs_setup_inode, fs/xfs/xfs_ioctl.c xfs_ioctl_setattr_dax_invalidate + '
    + 'xfs_diflags_to_linux, fs/xfs/xfs_file.c __xfs_filemap_fault (v4.13); the mount option is the design: `mount` does not apply',
  flavour: 'ext4/xfs',
  flavourChanges: () => ({ desiredDax: () => true, faultPath: faultByInode }),
  changes: (ctx) => ({ setFlag: mountDaxIoctl(ctx), faultRule: faultByInode }),
};

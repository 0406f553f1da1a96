import { flipOnIoctl } from '../actions/setflag.js';
import type { DaxDesign } from './design.js';

export const flipOnIoctlDesign: DaxDesign = {
  summary: 'xfs up to v4.13: the ioctl writes back and invalidates the page cache, then flips S_DAX; VMAs keep their mmap-time setup '
    + 'and faults ask IS_DAX',
  source: 'fs/xfs/xfs_ioctl.c xfs_ioctl_setattr_dax_invalidate + xfs_diflags_to_linux (v4.13); disabled in v4.14 ("xfs: disable per-inode DAX flag"); '
    + 'Eric Sandeen, seed 003, 2017-09-06 ("we just /disabled/ it in xfs due to its habit of crashing the kernel")',
  flavour: 'ext4/xfs',
  changes: (ctx) => ({ setFlag: flipOnIoctl(ctx) }),
};

import type { DaxDesign } from './design.js';

/** What landed: the base model as it is. */
export const instantiateOnly: DaxDesign = {
  summary: 'ext4/xfs as landed (5.8, fixed in 5.11): the ioctl only marks the inode I_DONTCACHE (d_mark_dontcache); '
    + 'S_DAX changes at the next instantiation, after the last close evicts the inode',
  source: 'Andreas Dilger, seed 003, 2017-09-07T21:26; fs/ext4/ioctl.c ext4_dax_dontcache; fs/xfs/xfs_ioctl.c xfs_ioctl_setattr_prepare_dax '
    + '(e4f9ba20d3b8); 5.11 fixes 77573fa310d9, 88149082bb8e; Documentation/filesystems/dax.rst',
  flavour: 'ext4/xfs',
};

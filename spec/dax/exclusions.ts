// Files and devices that cannot be DAX on ext4 and xfs, as Linux 6.12 has
// them (read at 6.12.19), and what the mount and the flag ioctl then do.
//
// Files (`unfit`), S_DAX at iget:
// - ext4: fs/ext4/inode.c ext4_should_enable_dax refuses, before it looks at
//   the device, the mount option or EXT4_INODE_DAX: journalled data
//   (ext4_should_journal_data), inline data, EXT4_INODE_ENCRYPT,
//   EXT4_INODE_VERITY. So not even dax=always makes such a file DAX, except
//   the journal flag: ext4_inode_journal_mode (fs/ext4/ext4_jbd2.c) counts
//   EXT4_INODE_JOURNAL_DATA only on a mount without delalloc, and delalloc is
//   the default, so under dax=always a `chattr +j` file is DAX (seen on
//   6.12.117: conform dax --const unfit=journal-data --const remount=on). The
//   model's mount has delalloc; -o nodelalloc and data=journal are left out.
// - xfs: fs/xfs/xfs_iops.c xfs_inode_supports_dax tests only a regular file,
//   the block size and the device; a reflinked file can be DAX in 6.12
//   (v5.10 still refused it there, and xfs_ioctl_setattr_xflags failed
//   FS_XFLAG_DAX on it with -EINVAL after xfs_ioctl_setattr_prepare_dax had
//   marked it: spec/dax/reflink-5.10.ts, under instantiate-only-5.10). 6.12 still keeps DAX and
//   reflinked data apart at the remap (xfs_reflink_remap_prep: IS_DAX of
//   both files must agree), which the model, with no remap, does not reach.
// The flag ioctl, ext4 (fs/ext4/ioctl.c ext4_ioctl_setflags, from
// ext4_fileattr_set under vfs_fileattr_set's inode_lock): dax_compatible
// fails setting EXT4_DAX_FL on an inode with any of EXT4_DAX_MUT_EXCL
// (verity, encrypt, journal data, inline data), and setting any of those on
// a DAX_FL inode, with -EOPNOTSUPP, before ext4_dax_dontcache marks
// anything: the request changes nothing, so it is a refusal, not a step, and
// a file can never have both (init: FS_XFLAG_DAX clear). The other error
// exits, in order: spec/dax/request-errors.ts.
//
// Devices (`device`): fs_dax_get_by_bdev (drivers/dax/super.c) gives no
// dax_device for a queue without QUEUE_FLAG_DAX or a partition not aligned
// to PAGE_SIZE.
// - ext4: ext4_check_feature_compatibility (fs/ext4/super.c) sets
//   EXT4_FLAGS_BDEV_IS_DAX only with a dax_device and s_blocksize ==
//   PAGE_SIZE ("unsupported blocksize for DAX" otherwise); under dax=always
//   without it the mount fails ("DAX unsupported by block device.", -EINVAL),
//   and so it does with the inline_data feature ("Cannot use DAX on a
//   filesystem that may contain inline data"). dax=inode mounts, and no file
//   is ever DAX (ext4_should_enable_dax tests the bit).
// - xfs: xfs_setup_dax_always (fs/xfs/xfs_super.c) turns dax=always into
//   dax=never without a dax_device ("DAX unsupported by block device.
//   Turning off DAX.") or with a block size other than PAGE_SIZE ("DAX not
//   supported for blocksize"); dax=inode mounts, and xfs_inode_supports_dax
//   refuses every file.
// A verity file opens only for reading: fsverity_file_open (fs/verity/open.c,
// called from ext4_file_open) fails an open with FMODE_WRITE with -EPERM, so
// with unfit=verity every open is O_RDONLY and nothing writes the file.
//
// In either filesystem the flag ioctl does not look at the device: under
// dax=inode ext4_dax_dontcache and xfs_ioctl_setattr_prepare_dax mark the
// inode when the flag changes, an eviction the next iget gains nothing from.

import { UsageError } from '../../checker/errors.js';
import type { Constants } from './constants.js';
import type { ActionDef } from '../../checker/model.js';
import type { S } from './state.js';

type C = Pick<Constants, 'fs' | 'unfit' | 'device' | 'mount'>;

const EXT4_ONLY = ['journal-data', 'inline-data', 'encrypted', 'verity'];

/** The constants name a setting that exists: an ext4 attribute on ext4, reflink on xfs, and a mount that succeeds. */
export function checkSetting(c: C): void {
  if (EXT4_ONLY.includes(c.unfit) && c.fs !== 'ext4') {
    throw new UsageError(`--const unfit=${c.unfit} is an ext4 attribute; give --const fs=ext4 with it (xfs has: reflink)`);
  }
  if (c.unfit === 'reflink' && c.fs !== 'xfs') throw new UsageError('--const unfit=reflink is an xfs attribute; give it with --const fs=xfs (ext4 has: journal-data, inline-data, encrypted, verity)');
  const failure = mountFailure(c);
  if (failure) {
    throw new UsageError(`--const ${c.device !== 'dax' ? `device=${c.device}` : `unfit=${c.unfit}`} with mount=always on ext4: the mount fails (ext4_check_feature_compatibility: ${failure}), so there is no run to check${c.device !== 'dax' ? '; xfs turns DAX off instead' : ''}`);
  }
}

/**
 * Why mount(2) with this setting fails, or undefined if it mounts:
 * ext4_check_feature_compatibility (fs/ext4/super.c, v6.12) refuses
 * dax=always on a device without DAX (or with a block size other than
 * PAGE_SIZE) and on a filesystem with the inline_data feature; xfs mounts
 * whatever the device (xfs_setup_dax_always turns DAX off).
 */
export function mountFailure(c: C): string | undefined {
  if (c.fs !== 'ext4' || c.mount !== 'always') return undefined;
  if (c.device !== 'dax') return '"DAX unsupported by block device.", -EINVAL';
  if (c.unfit === 'inline-data') return '"Cannot use DAX on a filesystem that may contain inline data", -EINVAL';
  return undefined;
}

/** The mount mode in effect: xfs_setup_dax_always makes dax=always on a device that cannot do DAX dax=never. */
export function mountInEffect(c: C): Constants['mount'] {
  return c.fs === 'xfs' && c.mount === 'always' && c.device !== 'dax' ? 'never' : c.mount;
}

/** Whether any file can be DAX at iget, whatever its flag and the mount (ext4_should_enable_dax / xfs_inode_supports_dax). */
export function filesCanBeDax(c: C): boolean {
  // journal-data: ext4_should_journal_data is false under delalloc (ext4_inode_journal_mode), so only the flag is kept off.
  return c.device === 'dax' && (!EXT4_ONLY.includes(c.unfit) || c.unfit === 'journal-data');
}

/** Whether a file may carry FS_XFLAG_DAX at all (ext4 dax_compatible keeps EXT4_DAX_FL and EXT4_DAX_MUT_EXCL apart). */
export function flagAllowed(c: C): boolean {
  return !EXT4_ONLY.includes(c.unfit);
}

const WHAT: Record<string, string> = {
  'journal-data': 'journalled data (EXT4_JOURNAL_DATA_FL)', 'inline-data': 'inline data', encrypted: 'an encrypted file', verity: 'a verity file',
};

/** ext4: setting FS_XFLAG_DAX on a file with an EXT4_DAX_MUT_EXCL attribute is -EOPNOTSUPP (dax_compatible); none elsewhere. */
export function exclusionRefusal(c: C): { refuses: (s: S, p: number, f: number, v: number) => boolean; refusal: string } | undefined {
  if (!EXT4_ONLY.includes(c.unfit)) return undefined;
  return {
    refuses: (_s: S, _p: number, _f: number, v: number) => v === 1,
    refusal: `-EOPNOTSUPP: setting FS_XFLAG_DAX on ${WHAT[c.unfit]} (ext4_ioctl_setflags, dax_compatible)`,
  };
}

/** Every open of a verity file is O_RDONLY (fsverity_file_open: -EPERM for a writer). */
export function opensReadOnly(c: C): boolean {
  return c.unfit === 'verity';
}

/** Open with only its O_RDONLY instance: an O_RDWR open of a verity file fails and changes nothing. */
export function readOnlyOpen(open: ActionDef<any, any>): ActionDef<any, any> {
  return {
    ...open,
    guard: (s: S, prm: any) => prm.ro === 1 && (open.guard ? open.guard(s, prm) : true),
    guardDoc: `O_RDONLY (a verity file: fsverity_file_open fails O_RDWR with -EPERM); ${open.guardDoc ?? 'always'}`,
  };
}

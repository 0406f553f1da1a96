// The locks that decide what may run between the steps of an ioctl and of a
// page fault (cut=locks). Each is state only while it is held across a step
// boundary; within one step the model's atomicity stands for it.
//
// - The inode's I/O lock: i_rwsem (XFS_IOLOCK is i_rwsem since v4.10,
//   "xfs: remove i_iolock and use i_rwsem in the VFS inode
//   instead"). Taken exclusive by the flag ioctl (xfs v4.13
//   xfs_ioctl_setattr_dax_invalidate: xfs_ilock(ip, XFS_MMAPLOCK_EXCL |
//   XFS_IOLOCK_EXCL); ext4_ioctl FS_IOC_SETFLAGS: inode_lock; since 5.13
//   vfs_fileattr_set, fs/ioctl.c, takes inode_lock for every fs), shared by
//   read(2) (xfs_file_dax_read / xfs_file_buffered_read: XFS_IOLOCK_SHARED;
//   ext4_dax_read_iter: inode_lock_shared), exclusive by write(2).
// - The inode's fault lock: mapping->invalidate_lock since 5.15 (
//   "mm: Protect operations adding pages to page cache with invalidate_lock";
//   XFS_MMAPLOCK and ext4's i_mmap_sem became it: "xfs: Convert to use
//   invalidate_lock", "ext4: Convert to use mapping->invalidate_lock", 5.15). Taken exclusive by the flag ioctl (as above; ext4's
//   journal-flag switch ext4_change_inode_journal_flag takes it too), shared
//   by every filesystem fault handler: __xfs_filemap_fault and
//   xfs_filemap_pfn_mkwrite (XFS_MMAPLOCK_SHARED), ext4_dax_huge_fault and
//   ext4_page_mkwrite (i_mmap_sem / filemap_invalidate_lock_shared).
// - mmap_lock (mmap_sem before 5.8) of the process's mm: written by mmap(2)
//   (vm_mmap_pgoff -> do_mmap -> mmap_region -> ->mmap), munmap(2) and fork
//   (dup_mmap); read by the whole page fault (do_user_addr_fault ->
//   handle_mm_fault, the mm's half and the filesystem's handler). The ioctl
//   takes no mmap_lock and ->mmap (xfs_file_mmap, ext4_file_mmap) no inode
//   lock: nothing the kernel holds across a flag change keeps a new mmap out.
// - A design's own lock, held from its check to its flip and taken by ->mmap
//   (Jan Kara, seed 003, 2017-09-08: "We just have to be sure to block new
//   mappings of the file while switching the flag"). ->mmap runs under
//   mmap_lock and faults take the fault lock under mmap_lock, so ->mmap taking
//   the fault lock shared keeps the kernel's lock order (derived).

import type { S } from './state.js';
import { FaultStage, WritePath } from './state.js';

/** How a design's ioctl and faults are cut into steps, and what its own lock excludes. */
export interface Locking {
  /** The ioctl's check and its flip are two steps, holding the I/O and fault locks between them. */
  readonly splitIoctl: boolean;
  /** A fault is the mm's step (the handler chosen) and the filesystem's (served under the fault lock). */
  readonly splitFault: boolean;
  /** The design's lock, held from check to flip, is also taken by ->mmap. */
  readonly blocksMmap: boolean;
  /** write(2) chooses its path before it takes the I/O lock, and copies under it: two steps. */
  readonly splitWrite: boolean;
}

export const atomicCut: Locking = { splitIoctl: false, splitFault: false, blocksMmap: false, splitWrite: false };

/** Some process is inside the flag ioctl on f, between check and flip: it holds f's I/O and fault locks exclusive. */
export function ioctlHolds(s: S, f: number, P: number): boolean {
  for (let p = 0; p < P; p++) if (s.ioctl[p]![f] === 1) return true;
  return false;
}

/** The process is inside a page fault (it holds its mmap_lock for reading). */
export function inFault(s: S, p: number, F: number): boolean {
  for (let f = 0; f < F; f++) if (s.fault[p]![f] !== FaultStage.none) return true;
  return false;
}

/** The process is inside the flag ioctl or a write on some file (their fdget pins the file: close and exit wait). */
export function inIoctl(s: S, p: number, F: number): boolean {
  for (let f = 0; f < F; f++) if (s.ioctl[p]![f] === 1 || s.writePath[p]![f] !== WritePath.none) return true;
  return false;
}

/** The process is inside the flag ioctl or a write on f. */
export function pinsFile(s: S, p: number, f: number): boolean {
  return s.ioctl[p]![f] === 1 || s.writePath[p]![f] !== WritePath.none;
}

/** The process is inside a write(2) or a mkwrite fault on some file (cut=locks): it takes no other step meanwhile. */
export function insideWriteOrFault(s: S, p: number, F: number): boolean {
  for (let f = 0; f < F; f++) if (s.writePath[p]![f] !== WritePath.none || s.fault[p]![f] !== FaultStage.none) return true;
  return false;
}

// How each filesystem's page fault picks the DAX or the page-cache path.
// Both agree whenever S_DAX cannot change under a mapping (what landed in 5.8:
// S_DAX changes only at iget), so the choice shows only in the 2017 designs
// that flip S_DAX on a live inode.
//
// xfs asks the inode at fault time, in every version:
// - v4.13 fs/xfs/xfs_file.c: one xfs_file_vm_ops for every VMA (xfs_file_mmap
//   adds VM_MIXEDMAP|VM_HUGEPAGE iff IS_DAX but keeps the same ops);
//   xfs_filemap_fault, xfs_filemap_page_mkwrite -> __xfs_filemap_fault, which
//   tests IS_DAX under XFS_MMAPLOCK_SHARED (dax_iomap_fault or
//   filemap_fault / iomap_page_mkwrite); xfs_filemap_pfn_mkwrite tests IS_DAX too.
// - 6.12 fs/xfs/xfs_file.c: still one xfs_file_vm_ops; xfs_filemap_fault ->
//   __xfs_filemap_fault -> xfs_write_fault (write faults, page_mkwrite and
//   pfn_mkwrite alike: IS_DAX under XFS_MMAPLOCK_SHARED -> xfs_dax_fault_locked
//   or iomap_page_mkwrite) or xfs_dax_read_fault / filemap_fault.
//
// ext4 decides at mmap time, in every version:
// - v4.13 fs/ext4/file.c ext4_file_mmap: IS_DAX -> ext4_dax_vm_ops
//   (ext4_dax_fault, ext4_dax_huge_fault, page_mkwrite = ext4_dax_fault,
//   pfn_mkwrite = ext4_dax_pfn_mkwrite) with VM_MIXEDMAP|VM_HUGEPAGE, else
//   ext4_file_vm_ops (ext4_filemap_fault, ext4_page_mkwrite). None of these
//   handlers tests IS_DAX again (ext4_dax_huge_fault goes to dax_iomap_fault
//   under i_mmap_sem; ext4_page_mkwrite, fs/ext4/inode.c, to the page cache).
// - 6.12 fs/ext4/file.c ext4_file_mmap: the same choice (ext4_dax_vm_ops now
//   has pfn_mkwrite = ext4_dax_fault; ext4_file_vm_ops has filemap_fault and
//   ext4_page_mkwrite), the handlers under filemap_invalidate_lock_shared,
//   and again no IS_DAX test in them.
//
// So on ext4 a fault follows the VMA; what ext4 still takes from S_DAX after
// mmap is read(2)/write(2) (ext4_file_read_iter / ext4_file_write_iter test
// IS_DAX) and writeback (v4.13 ext4_writepages: dax_mapping -> DAX writeback,
// so page-cache pages of an S_DAX inode are not written back).

import type { Constants } from './constants.js';
import { Vma, type S } from './state.js';

/** Which path a page fault takes: true for DAX (dax_iomap_fault), false for the page cache (filemap_fault / page_mkwrite). */
export type FaultRule = (s: S, p: number, f: number) => boolean;

/**
 * The fault handler asks the inode at fault time: __xfs_filemap_fault and
 * xfs_filemap_page_mkwrite test IS_DAX (fs/xfs/xfs_file.c, v4.13 and after).
 * ext4 picks its vm_ops at mmap time instead (ext4_file_mmap), which is the
 * same thing whenever S_DAX cannot change under a mapping.
 */
export const faultByInode: FaultRule = (s, _p, f) => s.sDax[f] === 1;

/**
 * Dave Chinner's proposal (seed 003, 2017-09-07T23:25, <20170907232543.GB17782@dastard>):
 * "make DAX is a property of the mapping and instantiate it from the inode
 * only at mmap() time"; the fault path follows the VMA. It is also what ext4
 * does (ext4_file_mmap, above): the fault path of `--const fs=ext4`.
 */
export const faultByMapping: FaultRule = (s, p, f) => s.vma[p]![f] === Vma.dax;

/** The fault path of an ext4/xfs design that does not choose its own. */
export function diskFaultPath(c: Pick<Constants, 'fs'>): FaultRule {
  return c.fs === 'ext4' ? faultByMapping : faultByInode;
}


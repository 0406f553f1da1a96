import { faultByMapping } from '../actions/mmap.js';
import { flipOnIoctl } from '../actions/setflag.js';
import type { DaxDesign } from './design.js';

/**
 * Ross Zwisler's ext4 series of 2017, patch 9/9 ("ext4: add per-inode DAX
 * flag"): the ioctl writes back, invalidates and flips S_DAX under
 * inode_lock and i_mmap_sem, as patch 6 ("ext4: safely transition S_DAX on
 * journaling changes") did for the journal flag (ext4_change_inode_journal_flag:
 * i_mmap_sem write, filemap_write_and_wait; derived: patch 9's text is not in
 * the seeds). What sets ext4 apart from xfs: ext4_file_mmap picks the vm_ops
 * at mmap time (ext4_dax_vm_ops iff IS_DAX, fs/ext4/file.c v4.13), and
 * ext4_dax_fault / ext4_page_mkwrite never ask IS_DAX again, so a fault
 * follows the VMA; the a_ops follow S_DAX (no page-cache writeback under DAX).
 */
export const ext4Patch9: DaxDesign = {
  summary: 'ext4, Ross Zwisler\'s patch 9/9 (2017): the ioctl writes back, invalidates and flips S_DAX; faults follow the vm_ops ext4_file_mmap chose',
  source: 'Ross Zwisler, seed 003, "[PATCH 0/9] add ext4 per-inode DAX flag" (2017-09-05) and 2017-09-06 ("Nope, it has the exact same problems as the XFS '
    + 'per-inode DAX flag ... I\'ll drop patch 9 for now"); fs/ext4/file.c ext4_file_mmap (v4.13)',
  flavour: 'ext4/xfs',
  changes: (ctx) => ({ setFlag: flipOnIoctl(ctx), faultRule: faultByMapping }),
};

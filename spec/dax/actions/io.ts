// read(2), write(2) and writeback. read_iter/write_iter pick DAX or the page
// cache from IS_DAX at the time of the call in every design.

import { bool } from '../../../checker/domain.js';
import { action, fName, pName, type Ctx } from '../context.js';
import { writeBack } from '../inode.js';
import { ioctlHolds } from '../locks.js';
import { Fd, PageCache, Size, WritePath, type S } from '../state.js';

/** read(2): DAX reads storage; the page-cache path fills the page first. ReadSeesLastWrite checks what it returns. */
export function read(ctx: Ctx) {
  return action({
    params: { p: ctx.Procs, f: ctx.Files },
    actor: 'p',
    guard: (s, { p, f }) => s.fd[p]![f] !== Fd.closed && !ioctlHolds(s, f, ctx.P),
    guardDoc: 'the process has the file open; no flag ioctl holds the file\'s I/O lock (read takes i_rwsem shared)',
    effect: (s, { f }) => {
      if (s.sDax[f] === 0 && s.pageCache[f] === PageCache.none) {
        s.pageCache[f] = PageCache.clean;
        s.pageVersion[f] = s.storage[f]!;
      }
    },
    label: ({ p, f }) => `Read ${pName(p)} ${fName(f)}`,
    source: 'ext4_file_read_iter -> ext4_dax_read_iter; xfs_file_read_iter -> xfs_file_dax_read; '
      + 'fuse_file_read_iter -> fuse_dax_read_iter / fuse_cache_read_iter',
  });
}

/**
 * write(2) of one page. DAX writes storage (dax_iomap_rw; virtiofs sends an
 * extending write as FUSE_WRITE, same effect on the data). ext4/xfs buffered
 * writes dirty the page. FUSE without writeback_cache writes through: storage
 * and the cached page both get the data (fuse_perform_write). On virtiofs a
 * write may also take the file past the server's DAX size threshold.
 */
export function write(ctx: Ctx) {
  const maxVersion = ctx.c.versions;
  const writeThrough = ctx.flavour.fs === 'virtiofs';
  const writeData = (s: S, f: number) => {
    const v = s.lastWrite[f]! + 1;
    s.lastWrite[f] = v;
    if (s.sDax[f] === 1) { s.storage[f] = v; return; }
    if (writeThrough) {
      s.storage[f] = v;
      if (s.pageCache[f] !== PageCache.none) s.pageVersion[f] = v;
      return;
    }
    s.pageCache[f] = PageCache.dirty;
    s.pageVersion[f] = v;
  };
  const source = 'ext4_dax_write_iter / ext4_buffered_write_iter; xfs_file_dax_write / xfs_file_buffered_write; '
    + 'fuse_file_write_iter -> fuse_dax_write_iter / fuse_cache_write_iter -> fuse_perform_write';
  const guardDoc = 'the file is open O_RDWR, a write is left in the version bound, and no flag ioctl holds the file\'s I/O lock';
  // write takes i_rwsem exclusive (xfs_file_dax_write / xfs_file_buffered_write: XFS_IOLOCK_EXCL; ext4: inode_lock).
  const canWrite = (s: S, p: number, f: number) => s.fd[p]![f] === Fd.O_RDWR && s.lastWrite[f]! < maxVersion && !ioctlHolds(s, f, ctx.P);
  if (writeThrough) {
    return action({
      params: { p: ctx.Procs, f: ctx.Files, extend: bool },
    actor: 'p',
      guard: (s, { p, f, extend }) => canWrite(s, p, f) && (!extend || s.size[f] !== Size.big),
      guardDoc,
      effect: (s, { f, extend }) => {
        writeData(s, f);
        // fuse_write_update_attr -> fuse_invalidate_attr_mask(inode, FUSE_STATX_MODSIZE) (fs/fuse/file.c, 5.16+).
        s.attrValid[f] = 0;
        if (extend) s.size[f] = Size.big;
        else if (s.size[f] === Size.empty) s.size[f] = Size.small;
      },
      label: ({ p, f, extend }) => `Write${extend ? '(past 32 KiB)' : ''} ${pName(p)} ${fName(f)}`,
      source,
    });
  }
  return action({
    params: { p: ctx.Procs, f: ctx.Files },
    actor: 'p',
    guard: (s, { p, f }) => canWrite(s, p, f),
    guardDoc,
    effect: (s, { f }) => {
      writeData(s, f);
      if (s.size[f] === Size.empty) s.size[f] = Size.small;
    },
    label: ({ p, f }) => `Write ${pName(p)} ${fName(f)}`,
    source,
  });
}

/**
 * cut=locks, ext4/xfs designs that flip S_DAX live: write(2) picks its path
 * from IS_DAX before it takes the I/O lock (xfs v4.13 xfs_file_write_iter:
 * `if (IS_DAX(inode)) xfs_file_dax_write(...) else xfs_file_buffered_aio_write(...)`,
 * each of which then takes XFS_IOLOCK_EXCL; ext4_file_write_iter likewise
 * calls ext4_dax_write_iter iff IS_DAX, and only ext4_dax_read_iter re-tests
 * IS_DAX under the lock). The choice is this step; WriteData is the copy
 * under the lock, on the path chosen, whatever S_DAX is by then.
 */
export function writeChoose(ctx: Ctx) {
  const maxVersion = ctx.c.versions;
  return action({
    params: { p: ctx.Procs, f: ctx.Files },
    actor: 'p',
    guard: (s, { p, f }) => s.fd[p]![f] === Fd.O_RDWR && s.lastWrite[f]! < maxVersion && s.writePath[p]![f] === WritePath.none,
    guardDoc: 'the file is open O_RDWR, a write is left in the version bound, and the process is not inside a write of it',
    effect: (s, { p, f }) => { s.writePath[p]![f] = s.sDax[f] === 1 ? WritePath.dax : WritePath.buffered; },
    label: ({ p, f }, _before, after) => `Write ${pName(p)} ${fName(f)} → ${after.writePath[p]![f] === WritePath.dax ? 'DAX' : 'buffered'} path chosen (IS_DAX, no lock)`,
    source: 'xfs v4.13 xfs_file_write_iter; ext4_file_write_iter (IS_DAX tested before inode_lock)',
  });
}

/** The write's copy under the I/O lock (waits while a flag ioctl holds it), on the path chosen before. */
export function writeData(ctx: Ctx) {
  const maxVersion = ctx.c.versions;
  return action({
    params: { p: ctx.Procs, f: ctx.Files },
    actor: 'p',
    guard: (s, { p, f }) => s.writePath[p]![f] !== WritePath.none && !ioctlHolds(s, f, ctx.P) && s.lastWrite[f]! < maxVersion,
    guardDoc: 'the process is inside a write whose path is chosen; no flag ioctl holds the file\'s I/O lock; a write left in the version bound',
    effect: (s, { p, f }) => {
      const v = s.lastWrite[f]! + 1;
      s.lastWrite[f] = v;
      if (s.writePath[p]![f] === WritePath.dax) s.storage[f] = v;
      else { s.pageCache[f] = PageCache.dirty; s.pageVersion[f] = v; }
      if (s.size[f] === Size.empty) s.size[f] = Size.small;
      s.writePath[p]![f] = WritePath.none;
    },
    label: ({ p, f }, before) => `WriteData ${pName(p)} ${fName(f)} → i_rwsem taken: ${before.writePath[p]![f] === WritePath.dax ? 'dax_iomap_rw to storage' : 'copied into the page cache'}`,
    source: 'xfs_file_dax_write / xfs_file_buffered_aio_write (XFS_IOLOCK_EXCL); ext4_dax_write_iter / ext4_buffered_write_iter (inode_lock)',
  });
}

/**
 * Background writeback of dirty page-cache pages. A DAX inode's a_ops are the
 * DAX ones (ext4_dax_aops, xfs_dax_aops, fuse_dax_file_aops), which never
 * write page-cache pages, so pages dirtied before a live flip are stranded;
 * Dave Chinner's per-mapping design keeps page-cache a_ops usable
 * (`underDax`), since its page-cache VMAs still dirty pages.
 */
export function writeback(ctx: Ctx, opts: { underDax: boolean }) {
  return action({
    params: { f: ctx.Files },
    guard: (s, { f }) => s.pageCache[f] === PageCache.dirty && (opts.underDax || s.sDax[f] === 0),
    guardDoc: opts.underDax ? 'the page is dirty' : 'the page is dirty and the inode is not S_DAX (whose a_ops never write page-cache pages)',
    effect: (s, { f }) => writeBack(s, f, ctx.P),
    label: ({ f }) => `Writeback ${fName(f)}`,
    source: 'mm/page-writeback.c do_writepages -> ext4_writepages / xfs_vm_writepages / fuse_writepages',
  });
}

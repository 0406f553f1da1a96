// The in-core inode's life, shared by every action: instantiation at lookup,
// references from open files and mappings, eviction, and the page-cache
// operations the kernel runs on the inode's mapping.

import type { Ctx } from './context.js';
import { DentryLru, Fd, InCore, ModeChange, PageCache, Pte, Vma, type S } from './state.js';
import type { Flavour } from './flavour.js';

/** An open file or a mapping pins the dentry and so the inode (a VMA holds its own struct file). */
export function referenced(s: S, f: number, P: number): boolean {
  for (let p = 0; p < P; p++) if (s.fd[p]![f] !== Fd.closed || s.vma[p]![f] !== Vma.none) return true;
  return false;
}

export function isMapped(s: S, f: number, P: number): boolean {
  for (let p = 0; p < P; p++) if (s.vma[p]![f] !== Vma.none) return true;
  return false;
}

/**
 * iget of an inode not in memory: S_DAX is computed once, from what the
 * flavour's policy says now (ext4_set_inode_flags(inode, true),
 * xfs_diflags_to_iflags(ip, true), fuse_dax_inode_init).
 */
export function instantiate(s: S, f: number, flavour: Flavour): void {
  const before = s.inode[f]!;
  const was = s.sDax[f]!;
  const now = flavour.desiredDax(s, f) ? 1 : 0;
  s.inode[f] = InCore.cached;
  s.sDax[f] = now;
  s.modeChange[f] = now === was ? ModeChange.none
    : before === InCore.evicted ? ModeChange.afterLastClose
      : before === InCore.reclaimed ? ModeChange.otherwise : ModeChange.none;
}

/**
 * Evicts an unreferenced inode. A dirty I_DONTCACHE inode is written back
 * first: iput_final calls write_inode_now (88149082bb8e, 5.11; xfstests
 * generic/608 test_buffered_data_lost). Reclaim never picks a dirty inode
 * (its guard), so the writeback here is only the I_DONTCACHE case.
 */
export function evict(s: S, f: number, how: typeof InCore.evicted | typeof InCore.reclaimed, writesBack = true): void {
  if (writesBack && s.pageCache[f] === PageCache.dirty) s.storage[f] = s.pageVersion[f]!;
  s.pageCache[f] = PageCache.none;
  s.pageVersion[f] = 0;
  s.daxEntries[f] = 0;
  s.iDontcache[f] = 0;
  s.dDontcache[f] = 0;
  s.entryValid[f] = 0;
  s.attrValid[f] = 0;
  s.modeChange[f] = ModeChange.none;
  s.dLru[f] = DentryLru.none;
  s.inode[f] = how;
}

/**
 * After a reference went away: the last dput kills the dentry if the
 * flavour says so, and iput_final evicts the inode.
 */
export function releaseRef(s: S, f: number, ctx: Ctx): void {
  if (referenced(s, f, ctx.P)) return;
  if (!ctx.flavour.dentryDiesAtLastRef(s, f)) { ctx.flavour.dentryRetained?.(s, f); return; }
  evict(s, f, InCore.evicted, ctx.flavour.dontcacheEvictWritesBack !== false || s.iDontcache[f] === 0);
}

/**
 * Whether a close, munmap or statx evicted the inode, read on the state after
 * it: the step had the inode cached (it held a reference, or its walk just
 * looked the inode up), so it ends uncached only if its last reference evicted it.
 */
export function evictedBy(after: S, f: number): boolean {
  return after.inode[f] !== InCore.cached;
}

/**
 * Writes dirty pages back (writepages, or FUSE's write_inode_now), leaving
 * them clean; clear_page_dirty_for_io write-protects the PTEs, so the next
 * store faults again (page_mkwrite).
 */
export function writeBack(s: S, f: number, P: number): void {
  if (s.pageCache[f] !== PageCache.dirty) return;
  s.storage[f] = s.pageVersion[f]!;
  s.pageCache[f] = PageCache.clean;
  for (let p = 0; p < P; p++) if (s.pte[p]![f] === Pte['pagecache-rw']) s.pte[p]![f] = Pte['pagecache-ro'];
}

/**
 * filemap_write_and_wait + invalidate_inode_pages2 as xfs ran them before a
 * flip (xfs_ioctl_setattr_dax_invalidate, v4.13): write back, drop the page
 * cache, unmap every PTE of the file. The DAX entries are unmapped too
 * (derived: invalidate_exceptional_entry2 -> dax_invalidate_mapping_entry_sync,
 * mm/truncate.c ~v4.13; the model zaps every PTE, DAX or not).
 */
export function flushAndInvalidate(s: S, f: number, P: number): void {
  writeBack(s, f, P);
  s.pageCache[f] = PageCache.none;
  s.pageVersion[f] = 0;
  s.daxEntries[f] = 0;
  for (let p = 0; p < P; p++) s.pte[p]![f] = Pte.none;
}

export const isDaxPte = (v: number) => v === Pte['dax-ro'] || v === Pte['dax-rw'];
export const isPageCachePte = (v: number) => v === Pte['pagecache-ro'] || v === Pte['pagecache-rw'];

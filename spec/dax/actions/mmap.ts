// Shared mappings: mmap sets a VMA up for one mode, page faults fill its PTE,
// loads and stores go through an existing PTE with no kernel code at all.

import { bool } from '../../../checker/domain.js';
import { action, fName, pName, type Ctx } from '../context.js';
import { evictedBy, releaseRef, writeBack } from '../inode.js';
import { FaultStage, Fd, PageCache, Pte, Size, Vma, type S } from '../state.js';
import { inFault, ioctlHolds, type Locking } from '../locks.js';

// The fault rules live with the per-filesystem fault path (spec/dax/fault-path.ts).
export { faultByInode, faultByMapping, type FaultRule } from '../fault-path.js';
import type { FaultRule } from '../fault-path.js';

/**
 * MAP_SHARED, PROT_READ plus PROT_WRITE when the fd allows it. ->mmap and
 * the VMA's link into i_mmap are one step (mmap_region calls ->mmap before
 * vma_link; a design that counts mappings by i_mmap would have to count the
 * ones in between too: left out). It waits for the process's own faults
 * (mmap_lock) and, in a design whose lock ->mmap takes, for a flag change in
 * progress (spec/dax/locks.ts).
 */
export function mmap(ctx: Ctx, locking: Locking) {
  const waits = locking.blocksMmap
    ? (s: S, p: number, f: number) => inFault(s, p, ctx.F) || ioctlHolds(s, f, ctx.P)
    : (s: S, p: number) => inFault(s, p, ctx.F);
  return action({
    params: { p: ctx.Procs, f: ctx.Files },
    actor: 'p',
    guard: (s, { p, f }) => s.fd[p]![f] !== Fd.closed && s.vma[p]![f] === Vma.none && !waits(s, p, f),
    guardDoc: `the process has the file open and no mapping of it yet (one VMA per process and file), and is not inside a fault${locking.blocksMmap ? '; no flag change of the file is in progress (the design\'s lock)' : ''}`,
    effect: (s, { p, f }) => {
      s.vma[p]![f] = s.sDax[f] ? Vma.dax : Vma.pagecache;
      s.vmaReadOnly[p]![f] = s.fd[p]![f] === Fd.O_RDONLY ? 1 : 0;
    },
    label: ({ p, f }) => `Mmap(MAP_SHARED) ${pName(p)} ${fName(f)}`,
    source: 'ext4_file_mmap / xfs_file_mmap (VM_MIXEDMAP|VM_HUGEPAGE and DAX vm_ops iff IS_DAX); fs/fuse/file.c fuse_file_mmap -> fuse_dax_mmap',
  });
}

export function munmap(ctx: Ctx) {
  return action({
    params: { p: ctx.Procs, f: ctx.Files },
    actor: 'p',
    guard: (s, { p, f }) => s.vma[p]![f] !== Vma.none && !inFault(s, p, ctx.F),
    guardDoc: 'the process has the file mapped and is not inside a fault (mmap_lock)',
    effect: (s, { p, f }) => {
      // fuse_vma_close -> write_inode_now, for page-cache VMAs (the DAX vm_ops have no ->close).
      if (ctx.flavour.flushOnRelease && s.vma[p]![f] === Vma.pagecache) writeBack(s, f, ctx.P);
      s.vma[p]![f] = Vma.none;
      s.vmaReadOnly[p]![f] = 0;
      s.pte[p]![f] = Pte.none;
      releaseRef(s, f, ctx);
    },
    label: ({ p, f }, _before, after) => `Munmap ${pName(p)} ${fName(f)}${evictedBy(after, f) ? ` → Evict ${fName(f)}` : ''}`,
    source: 'mm/mmap.c remove_vma -> fput; fs/fuse/file.c fuse_vma_close',
  });
}

/** The fault's guard: what makes the mm start one (the same in both cuts). */
function faultStarts(ctx: Ctx) {
  const maxVersion = ctx.c.versions;
  return (s: S, p: number, f: number, write: number) => {
    if (s.vma[p]![f] === Vma.none || s.size[f] === Size.empty || s.fault[p]![f] !== FaultStage.none) return false;
    const pte = s.pte[p]![f];
    if (!write) return pte === Pte.none;
    return s.vmaReadOnly[p]![f] === 0 && pte !== Pte['pagecache-rw'] && pte !== Pte['dax-rw'] && s.lastWrite[f]! < maxVersion;
  };
}
const FAULT_GUARD_DOC = 'mapped and not empty (else SIGBUS); a read fault needs no PTE, a write fault a writable VMA whose PTE is missing or read-only, and a write left in the version bound';

/** ->fault serves a fault in one mode: the page-cache path fills the page from storage, the DAX path maps storage itself. */
function serveFault(s: S, p: number, f: number, write: boolean, dax: boolean): void {
  if (dax) {
    if (write) {
      const v = s.lastWrite[f]! + 1;
      s.lastWrite[f] = v;
      s.storage[f] = v;
    }
    s.pte[p]![f] = write ? Pte['dax-rw'] : Pte['dax-ro'];
    // the mapping now holds DAX entries, which keep the inode off the LRU (reclaim.ts)
    s.daxEntries[f] = 1;
    return;
  }
  if (s.pageCache[f] === PageCache.none) {
    s.pageCache[f] = PageCache.clean;
    s.pageVersion[f] = s.storage[f]!;
  }
  if (write) {
    const v = s.lastWrite[f]! + 1;
    s.lastWrite[f] = v;
    s.pageVersion[f] = v;
    s.pageCache[f] = PageCache.dirty;
  }
  s.pte[p]![f] = write ? Pte['pagecache-rw'] : Pte['pagecache-ro'];
}

const FAULT_SOURCE = 'mm/memory.c do_read_fault / do_shared_fault / do_wp_page (wp_page_shared vs wp_pfn_shared); '
  + 'ext4_dax_fault vs ext4_filemap_fault + ext4_page_mkwrite; __xfs_filemap_fault; fuse_dax_fault / fuse_dax_page_mkwrite';

/**
 * cut=atomic (and every design whose S_DAX changes only at iget): a fault on
 * the mapping as one step, a read fault with no PTE or a write fault on a
 * missing or read-only PTE (page_mkwrite / pfn_mkwrite). An empty file
 * SIGBUSes, so it is not a step.
 */
export function pageFault(ctx: Ctx, rule: FaultRule) {
  const starts = faultStarts(ctx);
  return action({
    params: { p: ctx.Procs, f: ctx.Files, write: bool },
    actor: 'p',
    guard: (s, { p, f, write }) => starts(s, p, f, write),
    guardDoc: FAULT_GUARD_DOC,
    effect: (s, { p, f, write }) => serveFault(s, p, f, write === 1, rule(s, p, f)),
    label: ({ p, f, write }) => `PageFault(${write ? 'write' : 'read'}) ${pName(p)} ${fName(f)}`,
    source: FAULT_SOURCE,
  });
}

/**
 * cut=locks, a fault as the mm runs it, with no filesystem lock (mmap_lock
 * read only). A missing PTE goes to ->fault, whose vmf is the same for both
 * modes (Jan Kara, seed 003, 2017-09-08), so the handler serving it under the
 * fault lock is this same step (it waits while a flag ioctl holds the lock).
 * A write on a read-only PTE goes to page_mkwrite if the PTE maps a page and
 * to pfn_mkwrite if it maps a pfn (do_wp_page: vm_normal_page is NULL for a
 * pfn in a VM_MIXEDMAP VMA, so wp_pfn_shared): the choice is made here, the
 * handler is the later FaultHandler step.
 */
export function pageFaultStart(ctx: Ctx, rule: FaultRule) {
  const starts = faultStarts(ctx);
  return action({
    params: { p: ctx.Procs, f: ctx.Files, write: bool },
    actor: 'p',
    guard: (s, { p, f, write }) => starts(s, p, f, write) && (s.pte[p]![f] !== Pte.none || !ioctlHolds(s, f, ctx.P)),
    guardDoc: `${FAULT_GUARD_DOC}; ->fault waits while a flag ioctl holds the file's fault lock`,
    effect: (s, { p, f, write }) => {
      const pte = s.pte[p]![f];
      if (pte === Pte.none) { serveFault(s, p, f, write === 1, rule(s, p, f)); return; }
      s.fault[p]![f] = pte === Pte['pagecache-ro'] ? FaultStage.page_mkwrite : FaultStage.pfn_mkwrite;
    },
    label: ({ p, f, write }, before) => `PageFault(${write ? 'write' : 'read'}) ${pName(p)} ${fName(f)}`
      + (before.pte[p]![f] === Pte.none ? '' : before.pte[p]![f] === Pte['pagecache-ro'] ? ' → ->page_mkwrite' : ' → ->pfn_mkwrite'),
    source: 'mm/memory.c handle_pte_fault -> do_read_fault / do_shared_fault (->fault) or do_wp_page -> wp_page_shared (->page_mkwrite) / wp_pfn_shared (->pfn_mkwrite)',
  });
}

/**
 * cut=locks, the filesystem's half: under the fault lock (shared; the flag
 * ioctl holds it exclusive between its check and its flip), the handler the
 * mm chose serves the fault in the mode `rule` says now (xfs asks IS_DAX,
 * __xfs_filemap_fault; ext4 went by the vm_ops chosen at mmap, ext4_dax_fault
 * vs ext4_page_mkwrite). ->fault serves whatever it finds. page_mkwrite in DAX
 * mode goes down the DAX path with a vmf set up for a page (xfs v4.13:
 * xfs_filemap_page_mkwrite -> __xfs_filemap_fault(write) -> dax_iomap_fault),
 * Dave Chinner's "racing page fault down the wrong path" (Jan Kara's remedy,
 * seed 003, 2017-09-08, "careful checking in .page_mkwrite and .pfn_mkwrite
 * after necessary locks are obtained and bail out", is no design here).
 * pfn_mkwrite in page-cache mode bails out in every design (xfs v4.13
 * xfs_filemap_pfn_mkwrite tests IS_DAX), and a mkwrite whose PTE the flip
 * zapped finds its page or entry gone and bails out (iomap_page_mkwrite /
 * ext4_page_mkwrite: page->mapping changed; dax_pfn_mkwrite: no entry):
 * the mm retries, a new PageFault step.
 */
export function faultHandler(ctx: Ctx, rule: FaultRule) {
  const maxVersion = ctx.c.versions;
  return action({
    params: { p: ctx.Procs, f: ctx.Files },
    actor: 'p',
    guard: (s, { p, f }) => {
      const stage = s.fault[p]![f]!;
      return stage !== FaultStage.none && !ioctlHolds(s, f, ctx.P) && s.lastWrite[f]! < maxVersion;
    },
    guardDoc: 'the process is inside a page_mkwrite or pfn_mkwrite the mm has chosen; no flag ioctl holds the file\'s fault lock; a write left in the version bound',
    effect: (s, { p, f }) => {
      const stage = s.fault[p]![f]!;
      s.fault[p]![f] = FaultStage.none;
      const dax = rule(s, p, f);
      const pte = s.pte[p]![f];
      switch (stage) {
        case FaultStage.page_mkwrite:
          if (dax) { serveFault(s, p, f, true, true); return; }
          if (pte === Pte['pagecache-ro']) serveFault(s, p, f, true, false);
          return;
        case FaultStage.pfn_mkwrite:
          if (dax && pte === Pte['dax-ro']) serveFault(s, p, f, true, true);
      }
    },
    label: ({ p, f }, before, after) => {
      const stage = FaultStage.values[before.fault[p]![f]!];
      const pte = after.pte[p]![f]!;
      const served = pte === before.pte[p]![f] ? 'bails out (VM_FAULT_NOPAGE: the mm retries)'
        : isDaxPteValue(pte) ? 'DAX path (pfn mapped)' : 'page-cache path (page mapped)';
      return `FaultHandler(->${stage}) ${pName(p)} ${fName(f)} → ${served}`;
    },
    source: 'xfs v4.13 __xfs_filemap_fault / xfs_filemap_page_mkwrite / xfs_filemap_pfn_mkwrite (XFS_MMAPLOCK_SHARED, IS_DAX); '
      + 'ext4_dax_huge_fault / ext4_page_mkwrite (i_mmap_sem read); 5.15+ filemap_invalidate_lock_shared',
  });
}

const isDaxPteValue = (v: number) => v === Pte['dax-ro'] || v === Pte['dax-rw'];

/** A load through an existing PTE. It changes nothing; ReadSeesLastWrite checks what it returns. */
export function load(ctx: Ctx) {
  return action({
    params: { p: ctx.Procs, f: ctx.Files },
    actor: 'p',
    guard: (s, { p, f }) => s.pte[p]![f] !== Pte.none,
    guardDoc: 'the page is mapped (a PTE exists)',
    effect: () => {},
    label: ({ p, f }) => `Load ${pName(p)} ${fName(f)} (through the PTE)`,
    source: 'a CPU load: no kernel code runs',
  });
}

/** A store through an existing writable PTE: into the page-cache page (already dirty) or straight to storage. */
export function store(ctx: Ctx) {
  const maxVersion = ctx.c.versions;
  return action({
    params: { p: ctx.Procs, f: ctx.Files },
    actor: 'p',
    guard: (s, { p, f }) => {
      const pte = s.pte[p]![f];
      return (pte === Pte['pagecache-rw'] || pte === Pte['dax-rw']) && s.lastWrite[f]! < maxVersion;
    },
    guardDoc: 'the PTE is writable and a write is left in the version bound',
    effect: (s, { p, f }) => {
      const v = s.lastWrite[f]! + 1;
      s.lastWrite[f] = v;
      if (s.pte[p]![f] === Pte['dax-rw']) s.storage[f] = v;
      else s.pageVersion[f] = v;
    },
    label: ({ p, f }) => `Store ${pName(p)} ${fName(f)} (through the PTE)`,
    source: 'a CPU store: no kernel code runs (a page-cache PTE is writable only while its page is dirty)',
  });
}

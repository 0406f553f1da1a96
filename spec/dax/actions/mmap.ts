// Shared mappings: mmap sets a VMA up for one mode, page faults fill its PTE,
// loads and stores go through an existing PTE with no kernel code at all.

import { bool } from '../../../checker/domain.js';
import { action, fName, pName, type Ctx } from '../context.js';
import { evictedBy, releaseRef, writeBack } from '../inode.js';
import { Fd, PageCache, Pte, Size, Vma, type S } from '../state.js';

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
 * only at mmap() time"; the fault path follows the VMA.
 */
export const faultByMapping: FaultRule = (s, p, f) => s.vma[p]![f] === Vma.dax;

/** MAP_SHARED, PROT_READ plus PROT_WRITE when the fd allows it. */
export function mmap(ctx: Ctx) {
  return action({
    params: { p: ctx.Procs, f: ctx.Files },
    actor: 'p',
    guard: (s, { p, f }) => s.fd[p]![f] !== Fd.closed && s.vma[p]![f] === Vma.none,
    guardDoc: 'the process has the file open and no mapping of it yet (one VMA per process and file)',
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
    guard: (s, { p, f }) => s.vma[p]![f] !== Vma.none,
    guardDoc: 'the process has the file mapped',
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

/**
 * A fault on the mapping: a read fault with no PTE, or a write fault on a
 * missing or read-only PTE (page_mkwrite / pfn_mkwrite). An empty file
 * SIGBUSes, so it is not a step. The page-cache path fills the page from
 * storage; the DAX path maps storage itself. One step: the fs locks make
 * the handler atomic (the split page_mkwrite/pfn_mkwrite race of 2017 is left out).
 */
export function pageFault(ctx: Ctx, rule: FaultRule) {
  const maxVersion = ctx.c.versions;
  return action({
    params: { p: ctx.Procs, f: ctx.Files, write: bool },
    actor: 'p',
    guard: (s, { p, f, write }) => {
      if (s.vma[p]![f] === Vma.none || s.size[f] === Size.empty) return false;
      const pte = s.pte[p]![f];
      if (!write) return pte === Pte.none;
      return s.vmaReadOnly[p]![f] === 0 && pte !== Pte['pagecache-rw'] && pte !== Pte['dax-rw'] && s.lastWrite[f]! < maxVersion;
    },
    guardDoc: 'mapped and not empty (else SIGBUS); a read fault needs no PTE, a write fault a writable VMA whose PTE is missing or read-only, and a write left in the version bound',
    effect: (s, { p, f, write }) => {
      if (rule(s, p, f)) {
        if (write) {
          const v = s.lastWrite[f]! + 1;
          s.lastWrite[f] = v;
          s.storage[f] = v;
        }
        s.pte[p]![f] = write ? Pte['dax-rw'] : Pte['dax-ro'];
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
    },
    label: ({ p, f, write }) => `PageFault(${write ? 'write' : 'read'}) ${pName(p)} ${fName(f)}`,
    source: 'mm/memory.c do_read_fault / do_shared_fault / do_wp_page (wp_page_shared vs wp_pfn_shared); '
      + 'ext4_dax_fault vs ext4_filemap_fault + ext4_page_mkwrite; __xfs_filemap_fault; fuse_dax_fault / fuse_dax_page_mkwrite',
  });
}

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

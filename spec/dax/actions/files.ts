// Processes and their open files: open, close, fork, exit. A close that drops
// the last reference evicts the inode in the same step (dput -> iput_final),
// as the kernel does synchronously in __fput.

import { bool } from '../../../checker/domain.js';
import { action, fName, pName, type Ctx } from '../context.js';
import { evictedBy, releaseRef, writeBack } from '../inode.js';
import { Fd, Pte, Vma, type S } from '../state.js';
import { inFault, inIoctl, pinsFile } from '../locks.js';
import { walkPath, walkWords, type LookupPart } from './lookup.js';

/**
 * open(2): the path walk (and its lookup, if any) and the open, as one step;
 * the label says which lookup it did. `ro` exists only where a design needs
 * O_RDONLY opens (Ted Ts'o's rule); elsewhere every open is O_RDWR.
 */
export function open(ctx: Ctx, lookup: LookupPart, opts: { readOnlyOpens: boolean }) {
  const words = (before: S, p: number, f: number, ro: number) =>
    `${walkWords(lookup, before, f)}Open(${ro ? 'O_RDONLY' : 'O_RDWR'}) ${pName(p)} ${fName(f)}`;
  const guardDoc = 'the process does not have the file open';
  const source = 'fs/namei.c path_openat (walk_component -> lookup_slow / d_revalidate) -> vfs_open; fs/fuse/file.c fuse_open';
  if (opts.readOnlyOpens) {
    return action({
      params: { p: ctx.Procs, f: ctx.Files, ro: bool },
      actor: 'p',
      guard: (s, { p, f }) => s.fd[p]![f] === Fd.closed,
      guardDoc,
      effect: (s, { p, f, ro }) => { walkPath(lookup, s, f); s.fd[p]![f] = ro ? Fd.O_RDONLY : Fd.O_RDWR; },
      label: ({ p, f, ro }, before) => words(before, p, f, ro),
      source,
    });
  }
  return action({
    params: { p: ctx.Procs, f: ctx.Files },
    actor: 'p',
    guard: (s, { p, f }) => s.fd[p]![f] === Fd.closed,
    guardDoc,
    effect: (s, { p, f }) => { walkPath(lookup, s, f); s.fd[p]![f] = Fd.O_RDWR; },
    label: ({ p, f }, before) => words(before, p, f, 0),
    source,
  });
}

/** close(2); the label says whether it was the last reference and evicted the inode. */
export function close(ctx: Ctx) {
  return action({
    params: { p: ctx.Procs, f: ctx.Files },
    actor: 'p',
    guard: (s, { p, f }) => s.fd[p]![f] !== Fd.closed && !pinsFile(s, p, f),
    guardDoc: 'the process has the file open and is not inside a flag ioctl or a write on it (their fdget pins the file)',
    effect: (s, { p, f }) => {
      // fuse_flush -> write_inode_now (fs/fuse/file.c); ext4/xfs leave dirty pages to writeback.
      if (ctx.flavour.flushOnRelease) writeBack(s, f, ctx.P);
      s.fd[p]![f] = Fd.closed;
      releaseRef(s, f, ctx);
    },
    label: ({ p, f }, _before, after) => `Close ${pName(p)} ${fName(f)}${evictedBy(after, f) ? ` → Evict ${fName(f)}` : ''}`,
    source: 'fs/file_table.c __fput -> dput -> retain_dentry / iput_final (fs/dcache.c, fs/inode.c)',
  });
}

function holdsAnything(s: S, p: number, F: number): boolean {
  for (let f = 0; f < F; f++) if (s.fd[p]![f] !== Fd.closed || s.vma[p]![f] !== Vma.none) return true;
  return false;
}

/**
 * fork(2) into an empty process slot: the child shares the open files and
 * copies the VMAs. No ->open or ->mmap runs. Page tables are copied only for
 * VMAs that cannot refault them, i.e. VM_MIXEDMAP (DAX) ones; a page-cache
 * VMA starts with no PTE in the child.
 */
export function fork(ctx: Ctx) {
  return action({
    params: { p: ctx.Procs, q: ctx.Procs },
    actor: 'p',
    guard: (s, { p, q }) => p !== q && !holdsAnything(s, q, ctx.F) && holdsAnything(s, p, ctx.F) && !inFault(s, p, ctx.F),
    guardDoc: 'the parent holds a file or a mapping and is not inside a fault (dup_mmap takes its mmap_lock); the child slot is free (its process has exited or never ran)',
    effect: (s, { p, q }) => {
      for (let f = 0; f < ctx.F; f++) {
        s.fd[q]![f] = s.fd[p]![f]!;
        s.vma[q]![f] = s.vma[p]![f]!;
        s.vmaReadOnly[q]![f] = s.vmaReadOnly[p]![f]!;
        s.pte[q]![f] = s.vma[p]![f] === Vma.dax ? s.pte[p]![f]! : Pte.none;
      }
    },
    label: ({ p, q }) => `Fork ${pName(p)} → ${pName(q)}`,
    source: 'kernel/fork.c dup_mmap; mm/memory.c copy_page_range / vma_needs_copy (VM_PFNMAP|VM_MIXEDMAP)',
  });
}

/** exit(2): exit_mm unmaps everything, exit_files closes everything; each last reference evicts as a close would. */
export function exit(ctx: Ctx) {
  return action({
    params: { p: ctx.Procs },
    actor: 'p',
    guard: (s, { p }) => holdsAnything(s, p, ctx.F) && !inFault(s, p, ctx.F) && !inIoctl(s, p, ctx.F),
    guardDoc: 'the process holds a file or a mapping, and is not inside a fault, a flag ioctl or a write',
    effect: (s, { p }) => {
      let held = 0;
      for (let f = 0; f < ctx.F; f++) {
        if (s.fd[p]![f] === Fd.closed && s.vma[p]![f] === Vma.none) continue;
        held |= 1 << f;
        if (ctx.flavour.flushOnRelease && (s.fd[p]![f] !== Fd.closed || s.vma[p]![f] === Vma.pagecache)) writeBack(s, f, ctx.P);
        s.fd[p]![f] = Fd.closed;
        s.vma[p]![f] = Vma.none;
        s.vmaReadOnly[p]![f] = 0;
        s.pte[p]![f] = Pte.none;
      }
      for (let f = 0; f < ctx.F; f++) if (held & (1 << f)) releaseRef(s, f, ctx);
    },
    label: ({ p }) => `Exit ${pName(p)}`,
    source: 'kernel/exit.c do_exit -> exit_mm, exit_files',
  });
}

// The system calls and kernel events on the inode, each an action whose label
// prints the step as a FUSE developer would write it.
//
// Slots: a new file takes any free file slot and a new VMA any free VMA slot
// (a parameter of the step); the model declares both sets symmetric
// (index.ts), so `--symmetry` keeps one state per arrangement. A forked child
// takes the lowest free process slot (a canonical form of the model's own:
// p1 never exits, so the processes are not interchangeable). Labels name the
// slot the result lands in.
//
// A refused call is its own action (OpenRefused, MmapRefused) that records
// the call and its errno in `refused`; every other step clears it.
//
// Over 300 lines because this is the model's whole next-state relation, read
// top to bottom as a TLA+ module's actions are; split by action, the
// slot rules above would be scattered across files.

import { match } from 'ts-pattern';
import { enumOf, int } from '../../checker/domain.js';
import { actionsOf } from '../../checker/model.js';
import { cachedIoOpenCheck, ioRelease, openCheck, takeOpenRef } from './iomode.js';
import type { CacheMmapPolicy } from './policy.js';
import {
  BackingIdState, Errno, EverMapped, FileKind, IoMode, OpenFlags, PageCache, RefusedCall, VmaMap, hasPassthroughFlag, isPassthroughKind, keepsCache,
  type ErrnoName, type S, type Schema, type World,
} from './state.js';
import { vmaTable } from './vmas.js';

const action = actionsOf<Schema>();

const Sharing = enumOf('MAP_PRIVATE', 'MAP_SHARED');

// FOPEN_KEEP_CACHE changes only what the open does to the page cache, not the file's kind;
// FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE never opens (-1).
const kindName = (n: string) => (n === 'FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE' ? n : n.replace('|FOPEN_KEEP_CACHE', ''));
const FILE_KIND_OF_FLAGS = OpenFlags.values.map((n) => (kindName(n) in FileKind ? FileKind[kindName(n) as keyof typeof FileKind] as number : -1));
const REFUSED_OPEN = OpenFlags.values.map((n) => RefusedCall[`Open(${n})` as const]);
const REFUSED_MMAP = Sharing.values.map((n) => RefusedCall[`Mmap(${n})` as const]);

const clearRefused = (s: S): void => { s.refused.call = RefusedCall.none; s.refused.errno = Errno.none; };
/** What a refused call returned, as the state records it (its guard has ruled out 'OK'). */
const errnoOf = (r: 'OK' | ErrnoName): number => (r === 'OK' ? Errno.none : Errno[r]);

function flagsText(flags: number, backingId: number): string {
  return match(OpenFlags.values[flags]!)
    .with('FOPEN_PASSTHROUGH', 'FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO', 'FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE', (n) => `${n} backing_id=${backingId}`)
    .with('caching', 'FOPEN_DIRECT_IO', 'caching+O_DIRECT', 'caching|FOPEN_KEEP_CACHE', 'FOPEN_DIRECT_IO|FOPEN_KEEP_CACHE', (n) => n)
    .exhaustive();
}

function errnoText(e: ErrnoName): string {
  return match(e)
    .with('HANG', () => 'sleeps in wait_event(direct_io_waitq)')
    .with('EIO', 'ENODEV', 'ETXTBSY', 'ENOENT', 'EPERM', (n) => `= -${n}`)
    .with('none', () => '')
    .exhaustive();
}

// As the index sets print them (checker/domain.ts showScalar): 1-based.
const fileName = (f: number) => `file${f + 1}`;
const procName = (p: number) => `p${p + 1}`;
const vmaName = (v: number) => `vma${v + 1}`;

/** The shared machinery: release on the last reference. */
function fileRefs(w: World) {
  const vt = vmaTable(w);
  const held = (s: S, f: number): boolean => {
    const by = s.file[f].heldBy;
    for (let p = 0; p < w.np; p++) if (by[p] === 1) return true;
    return false;
  };
  /**
   * fuse_release -> fuse_file_put runs when the struct file's last reference
   * goes: the last fd, or the last page-cache VMA (a VMA holds vm_file).
   * A backing-file VMA holds the backing file instead (backing_file_mmap), so
   * it does not keep the fuse_file alive (fs/fuse/file.c fuse_file_put,
   * fs/fuse/passthrough.c fuse_passthrough_mmap, v6.9+).
   */
  const dropRef = (s: S, f: number): void => {
    const file = s.file[f];
    if (file.kind === FileKind.free || held(s, f) || vt.pinsFile(s, f)) return;
    ioRelease(s, f);
    file.kind = FileKind.free;
    file.iomode = IoMode.IOM_NONE;
    file.backingId = 0;
    file.everMapped = EverMapped.never;
  };
  return { vt, dropRef };
}

/** The actions no design changes. */
export function baseActions(w: World) {
  const { Procs, Files, Vmas, nf, nv } = w;
  const { vt, dropRef } = fileRefs(w);
  const Backing = int(1, w.c.backings);
  // The backing id only means something for FOPEN_PASSTHROUGH; other opens use the first.
  const backingApplies = (flags: number, b: number) => w.replies[flags] === true && (hasPassthroughFlag(flags) || b === 1);
  /**
   * openCheck, and with backingIds=ioctl the id the reply names: one not in
   * fc->backing_files_map (never registered, or closed) is -ENOENT in
   * fuse_passthrough_open, -EIO from open(2) (fs/fuse/passthrough.c
   * fuse_passthrough_open, fs/fuse/iomode.c fuse_file_io_open "fail:", v6.12).
   */
  const openResult = (s: S, flags: number, backing: number): 'OK' | 'EIO' | 'HANG' => {
    const r = openCheck(s, flags, backing);
    if (r === 'OK' && w.backingIoctl && hasPassthroughFlag(flags) && s.backingMap[backing - 1] !== BackingIdState.registered) return 'EIO';
    return r;
  };

  const Open = action({
    params: { p: Procs, flags: OpenFlags, backing: Backing, f: Files },
    actor: 'p',
    guard: (s, { p, flags, backing, f }) =>
      s.alive[p] === 1 && backingApplies(flags, backing) && s.file[f].kind === FileKind.free && openResult(s, flags, backing) === 'OK',
    effect: (s, { p, flags, backing, f }) => {
      clearRefused(s);
      s.file[f].kind = FILE_KIND_OF_FLAGS[flags]!;
      s.file[f].heldBy[p] = 1;
      takeOpenRef(s, f, flags, backing);
      // fuse_open: invalidate_inode_pages2 after an open without FOPEN_KEEP_CACHE (fs/fuse/file.c, v6.12).
      if (w.pageCacheData && !keepsCache(flags)) s.pageCache = PageCache.empty;
    },
    guardDoc: 'the process is alive, file slot f is free (the new struct file takes it), and fuse_file_io_open accepts these open_flags in the inode\'s mode (else the step is OpenRefused)',
    label: ({ p, flags, backing, f }) => `Open(${flagsText(flags, backing)}) ${procName(p)} -> ${fileName(f)}`,
    source: 'fs/fuse/file.c fuse_open -> fuse_finish_open -> fs/fuse/iomode.c fuse_file_io_open (a23e1966, v6.9+)',
  });

  // The kernel's synchronous release on this path skips fuse_file_io_release
  // (fuse_sync_release leaves ra->inode NULL), so a refused open changes nothing.
  const OpenRefused = action({
    params: { p: Procs, flags: OpenFlags, backing: Backing },
    actor: 'p',
    guard: (s, { p, flags, backing }) =>
      s.alive[p] === 1 && backingApplies(flags, backing) && openResult(s, flags, backing) !== 'OK',
    effect: (s, { flags, backing }) => {
      s.refused.call = REFUSED_OPEN[flags]!;
      s.refused.errno = errnoOf(openResult(s, flags, backing));
    },
    guardDoc: 'fuse_file_io_open refuses these open_flags in the inode\'s mode; the step records what it returned',
    label: ({ p, flags, backing }, _before, after) => `Open(${flagsText(flags, backing)}) ${procName(p)} ${errnoText(Errno.values[after.refused.errno]!)}`,
    source: 'fs/fuse/iomode.c fuse_file_io_open "fail:" returns -EIO; fuse_file_cached_io_open wait_event (a23e1966, v6.9+)',
  });

  const Close = action({
    params: { p: Procs, f: Files },
    guard: (s, { p, f }) => s.file[f].heldBy[p] === 1,
    effect: (s, { p, f }) => {
      clearRefused(s);
      s.file[f].heldBy[p] = 0;
      dropRef(s, f);
    },
    guardDoc: 'the process holds the struct file',
    label: ({ p, f }) => `Close ${procName(p)} ${fileName(f)}`,
    source: 'close(2) of the last fd a process has on the struct file; fput -> fuse_release when it was the last reference',
  });

  // dup_mmap copies every VMA and calls vm_ops->open on the copy if there is
  // one; fuse_file_vm_ops has no .open (fs/fuse/file.c, v6.9+), so no FUSE code
  // sees a fork. The fd table copy shares the struct files.
  const Fork = action({
    params: { p: Procs, c: Procs },
    guard: (s, { p, c }) => {
      if (s.alive[p] !== 1 || s.alive[c] !== 0) return false;
      for (let q = 0; q < c; q++) if (s.alive[q] === 0) return false;
      let mine = 0;
      for (let v = 0; v < nv; v++) if (s.vma[v].map !== VmaMap.unmapped && s.vma[v].proc === p) mine++;
      return vt.live(s) + mine <= nv; // a bound of the model: no fork without room for every copy
    },
    effect: (s, { p, c }) => {
      clearRefused(s);
      s.alive[c] = 1;
      for (let f = 0; f < nf; f++) if (s.file[f].heldBy[p] === 1) s.file[f].heldBy[c] = 1;
      vt.copyAll(s, p, c);
    },
    guardDoc: 'the parent is alive, the child takes the lowest free process slot, and there is a free VMA slot for every copy (they take the free slots in ascending order)',
    label: ({ p, c }) => `Fork ${procName(p)} -> ${procName(c)}`,
    source: 'kernel/fork.c dup_mmap (vm_ops->open only if defined); fs/fuse/file.c fuse_file_vm_ops has no .open (v6.9+); seed 004 (Amir Goldstein, 6 Dec 2023)',
  });

  // mprotect on part of a VMA, or the first half of a partial munmap:
  // __split_vma copies the VMA and, as dup_mmap, calls only vm_ops->open.
  const Split = action({
    params: { v: Vmas, to: Vmas },
    guard: (s, { v, to }) => s.vma[v].map !== VmaMap.unmapped && vt.free(s, to),
    effect: (s, { v, to }) => {
      clearRefused(s);
      const x = s.vma[v];
      vt.put(s, to, x.map, x.file, x.proc);
    },
    guardDoc: 'the VMA is mapped and VMA slot `to` is free (the copy takes it)',
    label: ({ v, to }) => `Split(mprotect) ${vmaName(v)} -> ${vmaName(to)}`,
    source: 'mm/mmap.c __split_vma (mm/vma.c from ~6.12): new->vm_ops->open only if defined; FUSE defines none',
  });

  // exit_mmap and exit_files close the VMAs and files one by one; the model
  // lets VmaClose and Close do that first and only frees the slot here. At
  // procs=2 this adds no state (p1 alone reaches every state without p2); it
  // matters from procs=3 on, where a freed slot allows another fork.
  const Exit = action({
    params: { p: Procs },
    guard: (s, { p }) => {
      if (p === 0 || s.alive[p] !== 1) return false; // p1 stays, so no goal is blocked
      for (let f = 0; f < nf; f++) if (s.file[f].heldBy[p] === 1) return false;
      for (let v = 0; v < nv; v++) if (s.vma[v].map !== VmaMap.unmapped && s.vma[v].proc === p) return false;
      return true;
    },
    effect: (s, { p }) => { clearRefused(s); s.alive[p] = 0; },
    guardDoc: 'not p1, and the process holds no file and no VMA (the closes are steps of their own)',
    label: ({ p }) => `Exit ${procName(p)}`,
    source: 'kernel/exit.c do_exit -> exit_mm, exit_files',
  });

  // Read/write dispatch (fs/fuse/file.c fuse_file_read_iter/fuse_file_write_iter,
  // v6.9+): FOPEN_DIRECT_IO goes to the server, FOPEN_PASSTHROUGH to the backing
  // file, anything else through the inode's page cache. These steps change no
  // mode; they are here so that traces can show the I/O a state allows.
  const PageCacheIo = action({
    params: { f: Files },
    guard: (s, { f }) => s.file[f].kind === FileKind.caching,
    effect: clearRefused,
    guardDoc: 'the file is a caching open',
    label: ({ f }) => `Read/Write ${fileName(f)} -> page cache`,
    source: 'fs/fuse/file.c fuse_cache_read_iter / fuse_cache_write_iter (v6.9+)',
  });
  const PassthroughIo = action({
    params: { f: Files },
    guard: (s, { f }) => s.file[f].kind === FileKind.FOPEN_PASSTHROUGH,
    effect: clearRefused,
    guardDoc: 'the file is a FOPEN_PASSTHROUGH open',
    label: ({ f }) => `Read/Write ${fileName(f)} -> backing file`,
    source: 'fs/fuse/passthrough.c fuse_passthrough_read_iter / fuse_passthrough_write_iter (a23e1966, v6.9+)',
  });
  const Fault = action({
    params: { v: Vmas },
    guard: (s, { v }) => s.vma[v].map === VmaMap.MAP_SHARED || s.vma[v].map === VmaMap.MAP_PRIVATE,
    effect: clearRefused,
    guardDoc: 'the VMA is a page-cache mapping (MAP_PRIVATE or MAP_SHARED)',
    label: ({ v }) => `Fault ${vmaName(v)} -> page cache`,
    source: 'fs/fuse/file.c fuse_file_vm_ops .fault = filemap_fault (v6.9+)',
  });

  return { Open, OpenRefused, Close, Fork, Split, Exit, PageCacheIo, PassthroughIo, Fault };
}

/** The actions a design's policy shapes: mmap of a file, and the VMA close. */
export function cacheMmapActions(w: World, policy: CacheMmapPolicy) {
  const { Procs, Files, Vmas } = w;
  const { vt, dropRef } = fileRefs(w);

  /**
   * fuse_file_mmap, in the kernel's order (fs/fuse/file.c, a23e1966, v6.9+):
   * a passthrough file maps its backing file (FOPEN_DIRECT_IO beside
   * FOPEN_PASSTHROUGH too: fuse_file_passthrough(ff) is tested first, v6.12); any other file of an inode with
   * a fuse_backing gets -ENODEV; a FOPEN_DIRECT_IO MAP_SHARED needs
   * FUSE_DIRECT_IO_ALLOW_MMAP (else -ENODEV) and then caching mode, whose
   * -ETXTBSY mmap returns as is (it is not turned into EIO as in open).
   */
  const mmapCheck = (s: S, f: number, shared: boolean): 'OK' | 'ENODEV' | 'ETXTBSY' | 'HANG' => {
    const kind = s.file[f].kind;
    if (isPassthroughKind(kind)) return 'OK';
    if (s.fb !== 0) return 'ENODEV';
    if (kind !== FileKind.FOPEN_DIRECT_IO) return 'OK';
    if (shared && !w.allowMmap) return 'ENODEV';
    return policy.entersCachingMode(shared) ? cachedIoOpenCheck(s) : 'OK';
  };
  const mapOf = (s: S, f: number, shared: number): number =>
    isPassthroughKind(s.file[f].kind) ? VmaMap.backing_file : shared ? VmaMap.MAP_SHARED : VmaMap.MAP_PRIVATE;

  const Mmap = action({
    params: { p: Procs, f: Files, sharing: Sharing, to: Vmas },
    actor: 'p',
    guard: (s, { p, f, sharing, to }) =>
      s.file[f].heldBy[p] === 1 && vt.free(s, to) && mmapCheck(s, f, sharing === Sharing.MAP_SHARED) === 'OK',
    effect: (s, { p, f, sharing, to }) => {
      clearRefused(s);
      const map = mapOf(s, f, sharing);
      vt.put(s, to, map, f, p);
      if (map === VmaMap.backing_file) return;
      const file = s.file[f];
      if (file.kind !== FileKind.FOPEN_DIRECT_IO) return;
      // fuse_file_mmap: invalidate_inode_pages2 before a direct-io file's page-cache mmap (v6.12).
      if (w.pageCacheData) s.pageCache = PageCache.empty;
      // EverMapped and Sharing order their values alike: never < MAP_PRIVATE < MAP_SHARED.
      if (sharing + 1 > file.everMapped) file.everMapped = sharing + 1;
      if (policy.entersCachingMode(sharing === Sharing.MAP_SHARED)) policy.onCacheMmap(s, f);
    },
    guardDoc: 'the process holds the file, VMA slot `to` is free (the VMA takes it), and fuse_file_mmap allows it (else the step is MmapRefused)',
    label: ({ p, f, sharing, to }) => `Mmap(${Sharing.values[sharing]}) ${procName(p)} ${fileName(f)} -> ${vmaName(to)}`,
    source: 'fs/fuse/file.c fuse_file_mmap; fs/fuse/passthrough.c fuse_passthrough_mmap -> backing_file_mmap (a23e1966, v6.9+)',
  });

  const MmapRefused = action({
    params: { p: Procs, f: Files, sharing: Sharing },
    actor: 'p',
    guard: (s, { p, f, sharing }) => s.file[f].heldBy[p] === 1 && mmapCheck(s, f, sharing === Sharing.MAP_SHARED) !== 'OK',
    effect: (s, { f, sharing }) => {
      s.refused.call = REFUSED_MMAP[sharing]!;
      s.refused.errno = errnoOf(mmapCheck(s, f, sharing === Sharing.MAP_SHARED));
    },
    guardDoc: 'the process holds the file and fuse_file_mmap refuses; the step records what it returned',
    label: ({ p, f, sharing }, _before, after) => `Mmap(${Sharing.values[sharing]}) ${procName(p)} ${fileName(f)} ${errnoText(Errno.values[after.refused.errno]!)}`,
    source: 'fs/fuse/file.c fuse_file_mmap error returns (a23e1966, v6.9+)',
  });

  // munmap of a whole VMA (or of one piece after a Split), or exit: remove_vma
  // calls vm_ops->close, then drops the VMA's reference on vm_file.
  const VmaClose = action({
    params: { v: Vmas },
    guard: (s, { v }) => s.vma[v].map !== VmaMap.unmapped,
    effect: (s, { v }) => {
      clearRefused(s);
      const map = s.vma[v].map, f = s.vma[v].file;
      const pageCache = map === VmaMap.MAP_PRIVATE || map === VmaMap.MAP_SHARED;
      if (pageCache) policy.onVmaClose(s, v);
      vt.remove(s, v);
      if (pageCache) dropRef(s, f);
    },
    guardDoc: 'the VMA is mapped',
    label: ({ v }) => `VmaClose ${vmaName(v)}`,
    source: 'mm/mmap.c remove_vma -> vm_ops->close = fs/fuse/file.c fuse_vma_close, then fput(vm_file)',
  });

  return { Mmap, MmapRefused, VmaClose };
}

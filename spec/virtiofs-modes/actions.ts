// The steps on the file: the server changing its FUSE_ATTR_DAX answer, the
// kernel asking for attributes (Lookup), open and close with the server's
// open_flags, mmap and munmap (MAP_SHARED), read(2), write(2), loads and
// stores through a VMA, and reclaim. Each is one step: no lock is dropped in
// the middle of any of them in a way these properties can see (no parallel
// direct-io writes, no fault racing a mode change: S_DAX changes only at
// fuse_iget in v6.12, and the switch-live design is given its switch as one
// step, the most it could hope for).

import { bool } from '../../checker/domain.js';
import { actionsOf } from '../../checker/model.js';
import type { ModesDesign } from './design.js';
import { kernelFor } from './kernel.js';
import { Errno, FileKind, OpenFlags, PageCache, RefusedCall, VmaMap, type ErrnoName, type Route, type S, type Schema, type World } from './state.js';

const action = actionsOf<Schema>();

const FILE_KIND_OF_FLAGS = OpenFlags.values.map((n) => FileKind[n]);
const REFUSED_OPEN = OpenFlags.values.map((n) => RefusedCall[`Open(${n})` as const]);
const fileName = (f: number) => `file${f + 1}`;
const vmaName = (v: number) => `vma${v + 1}`;
const clearRefused = (s: S): void => { s.refused.call = RefusedCall.none; s.refused.errno = Errno.none; };
const errnoOf = (r: 'OK' | ErrnoName): number => (r === 'OK' ? Errno.none : Errno[r]);
const ROUTE_WORDS: Record<Route, string> = { dax: 'DAX window', server: 'server (FUSE_READ/FUSE_WRITE)', backing: 'backing file', cache: 'page cache' };
const MAP_OF_ROUTE: Record<Route, number> = { dax: VmaMap.dax, backing: VmaMap.backing_file, cache: VmaMap.page_cache, server: VmaMap.page_cache };

export function actionsFor(w: World, d: ModesDesign) {
  const { Files, Vmas } = w;
  const k = kernelFor(w, d);
  const canWrite = (s: S) => s.written < w.c.versions;

  /**
   * What read(2) of f, or a load, returns now: the page cache (filled first
   * if empty), or the server's file; a direct read writes dirty pages back
   * first (fuse_direct_io, with FUSE_DIRECT_IO_ALLOW_MMAP), unless the inode
   * is DAX and its a_ops cannot (kernel.ts writeback).
   */
  const readsFrom = (s: S, r: Route): number => {
    if (r === 'cache') return s.pages === PageCache.none ? s.disk : s.pagesVer;
    if (r === 'server' && s.pages === PageCache.dirty && s.inode.sDax === 0) return s.pagesVer;
    return s.disk;
  };

  const ServerDax = action({
    params: { v: bool },
    guard: (s, { v }) => s.serverDax !== v,
    effect: (s, { v }) => { clearRefused(s); s.serverDax = v; },
    guardDoc: 'the server\'s FUSE_ATTR_DAX answer for the file changes (virtiofsd\'s policy: a host flag, the size)',
    label: ({ v }) => `Server: FUSE_ATTR_DAX=${v}`,
    source: 'include/uapi/linux/fuse.h FUSE_ATTR_DAX; seed 002 (v6 cover: "completely determined by FUSE server")',
  });

  const Lookup = action({
    params: {},
    effect: (s) => {
      clearRefused(s);
      if (s.inode.cached === 0) { k.iget(s); return; }
      k.attrsArrive(s);
      k.evictIfDone(s);
    },
    guardDoc: 'always: a path walk, statx or revalidation asks the server',
    label: (_p, before, after) => (before.inode.cached === 0
      ? `Lookup -> fuse_iget (S_DAX=${after.inode.sDax})`
      : `Lookup -> fuse_change_attributes${after.inode.cached === 0 ? ' -> evict' : after.inode.sDax !== before.inode.sDax ? ` (S_DAX ${before.inode.sDax} -> ${after.inode.sDax})` : after.inode.dontcache !== before.inode.dontcache ? ' (DONTCACHE)' : ''}`),
    source: 'fs/fuse/inode.c fuse_iget, fuse_change_attributes -> fs/fuse/dax.c fuse_dax_dontcache (v6.12)',
  });

  const Open = action({
    params: { flags: OpenFlags, f: Files },
    guard: (s, { flags, f }) => s.inode.cached === 1 && s.file[f].kind === FileKind.free && k.openCheck(s, flags) === 'OK',
    effect: (s, { flags, f }) => {
      clearRefused(s);
      const file = s.file[f];
      file.kind = FILE_KIND_OF_FLAGS[flags]!;
      file.fd = 1;
      k.takeOpenRef(s, f, flags);
      // fuse_open: no FOPEN_KEEP_CACHE, so invalidate_inode_pages2 (v6.12).
      k.invalidate(s);
    },
    guardDoc: 'the inode is in memory (a Lookup brought it), slot f is free, and fuse_file_io_open accepts these open_flags (else OpenRefused)',
    label: ({ flags, f }, _b, after) => `Open(${OpenFlags.values[flags]}) -> ${fileName(f)}${flags === OpenFlags.FOPEN_PASSTHROUGH && after.file[f]!.backingId === 0 ? ' (no backing file: DAX inode)' : ''}`,
    source: 'fs/fuse/file.c fuse_open -> fuse_finish_open -> fs/fuse/iomode.c fuse_file_io_open (v6.12)',
  });

  const OpenRefused = action({
    params: { flags: OpenFlags },
    guard: (s, { flags }) => s.inode.cached === 1 && k.openCheck(s, flags) !== 'OK',
    effect: (s, { flags }) => { s.refused.call = REFUSED_OPEN[flags]!; s.refused.errno = errnoOf(k.openCheck(s, flags)); },
    guardDoc: 'fuse_file_io_open refuses these open_flags on the inode as it is; the step records what open(2) returned',
    label: ({ flags }, _b, after) => `Open(${OpenFlags.values[flags]}) = -${Errno.values[after.refused.errno]}`,
    source: 'fs/fuse/iomode.c fuse_file_io_open "fail:" returns -EIO (v6.12)',
  });

  const Close = action({
    params: { f: Files },
    guard: (s, { f }) => s.file[f].fd === 1,
    effect: (s, { f }) => {
      clearRefused(s);
      // fuse_flush: write_inode_now, at every close(2) (fs/fuse/file.c, v6.12).
      k.writeback(s);
      s.file[f].fd = 0;
      k.releaseIfDone(s, f);
      k.evictIfDone(s);
    },
    guardDoc: 'the fd holds the struct file',
    label: ({ f }, _b, after) => `Close ${fileName(f)}${after.file[f]!.kind === FileKind.free ? ' (released)' : ''}${after.inode.cached === 0 ? ' -> evict' : ''}`,
    source: 'fs/fuse/file.c fuse_flush, fuse_release -> fuse_file_put -> fs/fuse/iomode.c fuse_file_io_release (v6.12)',
  });

  const Mmap = action({
    params: { f: Files, to: Vmas },
    guard: (s, { f, to }) => s.file[f].fd === 1 && s.vma[to].map === VmaMap.unmapped && k.mmapCheck(s, f) === 'OK',
    effect: (s, { f, to }) => {
      clearRefused(s);
      const r = k.mmapRoute(s, f);
      s.vma[to].map = MAP_OF_ROUTE[r];
      s.vma[to].file = f;
      if (r === 'cache' && s.file[f].kind === FileKind.FOPEN_DIRECT_IO) { k.invalidate(s); k.takeCachedRef(s, f); }
    },
    guardDoc: 'the fd holds the file, VMA slot `to` is free, and fuse_file_mmap allows MAP_SHARED (else MmapRefused)',
    label: ({ f, to }, _b, after) => `Mmap ${fileName(f)} -> ${vmaName(to)} (${VmaMap.values[after.vma[to]!.map]})`,
    source: 'fs/fuse/file.c fuse_file_mmap; fs/fuse/dax.c fuse_dax_mmap; fs/fuse/passthrough.c fuse_passthrough_mmap (v6.12)',
  });

  const MmapRefused = action({
    params: { f: Files },
    guard: (s, { f }) => s.file[f].fd === 1 && k.mmapCheck(s, f) !== 'OK',
    effect: (s, { f }) => { s.refused.call = RefusedCall.Mmap; s.refused.errno = errnoOf(k.mmapCheck(s, f)); },
    guardDoc: 'fuse_file_mmap refuses; the step records what it returned',
    label: ({ f }, _b, after) => `Mmap ${fileName(f)} = -${Errno.values[after.refused.errno]}`,
    source: 'fs/fuse/file.c fuse_file_mmap error returns (v6.12)',
  });

  const Munmap = action({
    params: { v: Vmas },
    guard: (s, { v }) => s.vma[v].map !== VmaMap.unmapped,
    effect: (s, { v }) => {
      clearRefused(s);
      const { map, file } = s.vma[v];
      // fuse_vma_close writes back; fuse_dax_vm_ops has no .close; a backing-file VMA is the backing fs's.
      if (map === VmaMap.page_cache) k.writeback(s);
      s.vma[v].map = VmaMap.unmapped; s.vma[v].file = 0;
      if (map !== VmaMap.backing_file) k.releaseIfDone(s, file);
      k.evictIfDone(s);
    },
    guardDoc: 'the VMA is mapped',
    label: ({ v }, before, after) => `Munmap ${vmaName(v)} (${VmaMap.values[before.vma[v]!.map]})${after.inode.cached === 0 ? ' -> evict' : ''}`,
    source: 'mm/mmap.c remove_vma -> fs/fuse/file.c fuse_vma_close, fput(vm_file); fs/backing-file.c backing_file_open path_get(user_path) (v6.12)',
  });

  const Read = action({
    params: { f: Files },
    guard: (s, { f }) => s.file[f].fd === 1,
    effect: (s, { f }) => {
      clearRefused(s);
      const r = k.route(s, f);
      // fuse_direct_io: with FUSE_DIRECT_IO_ALLOW_MMAP, filemap_write_and_wait_range first (v6.12).
      if (r === 'server') k.writeback(s);
      if (r === 'cache') k.fillPages(s);
    },
    guardDoc: 'the fd holds the file',
    label: ({ f }, before) => `Read ${fileName(f)} -> ${ROUTE_WORDS[k.route(before, f)]}: v${readsFrom(before, k.route(before, f))}`,
    source: 'fs/fuse/file.c fuse_file_read_iter: fuse_dax_read_iter, fuse_direct_read_iter, fuse_passthrough_read_iter, fuse_cache_read_iter (v6.12)',
  });

  const Write = action({
    params: { f: Files },
    guard: (s, { f }) => s.file[f].fd === 1 && canWrite(s),
    effect: (s, { f }) => {
      clearRefused(s);
      const n = s.written + 1;
      const r = k.route(s, f);
      // fuse_direct_io: write back, then invalidate_inode_pages2_range before sending FUSE_WRITE (v6.12).
      if (r === 'server') k.invalidate(s);
      // fuse_perform_write: the page copy is updated and FUSE_WRITE sent at once (no writeback cache).
      if (r === 'cache') { s.pages = PageCache.clean; s.pagesVer = n; }
      s.disk = n;
      s.written = n;
    },
    guardDoc: 'the fd holds the file, and a write is left within `versions`',
    label: ({ f }, before, after) => `Write ${fileName(f)} -> ${ROUTE_WORDS[k.route(before, f)]}: v${after.written}`,
    source: 'fs/fuse/file.c fuse_file_write_iter: fuse_dax_write_iter, fuse_direct_write_iter, fuse_passthrough_write_iter, fuse_cache_write_iter (v6.12)',
  });

  const Load = action({
    params: { v: Vmas },
    guard: (s, { v }) => s.vma[v].map !== VmaMap.unmapped,
    effect: (s, { v }) => { clearRefused(s); if (k.vmaRoute(s, v) === 'cache') k.fillPages(s); },
    guardDoc: 'the VMA is mapped',
    label: ({ v }, before) => `Load ${vmaName(v)} -> ${ROUTE_WORDS[k.vmaRoute(before, v)]}: v${readsFrom(before, k.vmaRoute(before, v))}`,
    source: 'fs/fuse/file.c fuse_file_vm_ops .fault = filemap_fault; fs/fuse/dax.c fuse_dax_fault; the backing file\'s own vm_ops (v6.12)',
  });

  const Store = action({
    params: { v: Vmas },
    guard: (s, { v }) => s.vma[v].map !== VmaMap.unmapped && canWrite(s),
    effect: (s, { v }) => {
      clearRefused(s);
      const n = s.written + 1;
      if (k.vmaRoute(s, v) === 'cache') { k.fillPages(s); s.pages = PageCache.dirty; s.pagesVer = n; } else s.disk = n;
      s.written = n;
    },
    guardDoc: 'the VMA is mapped, and a write is left within `versions`',
    label: ({ v }, before, after) => `Store ${vmaName(v)} -> ${ROUTE_WORDS[k.vmaRoute(before, v)]}: v${after.written}`,
    source: 'fs/fuse/file.c fuse_page_mkwrite; fs/fuse/dax.c fuse_dax_page_mkwrite (v6.12)',
  });

  const Reclaim = action({
    params: {},
    guard: (s) => s.inode.cached === 1 && !k.inUse(s),
    effect: (s) => { clearRefused(s); k.evict(s); },
    guardDoc: 'the inode is in memory and nothing holds it (memory pressure, drop_caches)',
    label: () => 'Reclaim -> evict',
    source: 'fs/inode.c prune_icache_sb / drop_caches -> evict -> fs/fuse/inode.c fuse_evict_inode (v6.12)',
  });

  return { actions: { ServerDax, Lookup, Open, OpenRefused, Close, Mmap, MmapRefused, Munmap, Read, Write, Load, Store, Reclaim }, kernel: k, readsFrom };
}

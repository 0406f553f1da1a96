// What must hold on the inode, and the goals that keep the checks honest.
// Routes (where a file's read/write or a VMA's accesses go) are the design's
// own dispatch (kernel.ts route): the properties ask what the I/O would do
// now, never what the bookkeeping says.

import type { Property } from '../../checker/model.js';
import type { Kernel } from './kernel.js';
import { FileKind, IoMode, OpenFlags, PageCache, VmaMap, type Route, type S, type Schema, type World } from './state.js';

type Prop = Property<Schema>;

export function propertiesFor(w: World, k: Kernel, readsFrom: (s: S, r: Route) => number): Record<string, Prop> {
  const { nf, nv } = w;
  const fileRoutes = (s: S, r: Route): boolean => {
    for (let f = 0; f < nf; f++) if (s.file[f].kind !== FileKind.free && k.route(s, f) === r) return true;
    return false;
  };
  const mapped = (s: S, m: number): boolean => {
    for (let v = 0; v < nv; v++) if (s.vma[v].map === m) return true;
    return false;
  };
  const daxUser = (s: S) => fileRoutes(s, 'dax') || mapped(s, VmaMap.dax);
  const passthroughUser = (s: S) => fileRoutes(s, 'backing') || mapped(s, VmaMap.backing_file);
  const pageCacheUser = (s: S) => fileRoutes(s, 'cache') || mapped(s, VmaMap.page_cache);
  const countMode = (s: S, m: number): number => {
    let n = 0;
    for (let f = 0; f < nf; f++) if (s.file[f].kind !== FileKind.free && s.file[f].iomode === m) n++;
    return n;
  };

  return {
    NoPageCacheBesideDax: {
      kind: 'invariant',
      doc: 'while the inode is S_DAX or a VMA maps it through the DAX window, its mapping holds no page-cache page, no VMA maps it through the page cache, and no file\'s I/O goes through the page cache',
      source: 'fs/fuse/dax.c fuse_dax_inode_init (a_ops = fuse_dax_file_aops: noop_dirty_folio, fuse_dax_writepages) and fuse_dax_mmap (v6.12); seed 002 [Note]: "switch a_ops atomiclly"',
      nonVacuousIf: ['DaxFileOpen', 'PageCacheMapped'],
      holds: (s: S) => (s.inode.sDax === 0 && !mapped(s, VmaMap.dax)) || (s.pages === PageCache.none && !pageCacheUser(s)),
    },
    NoPageCacheBesidePassthrough: {
      kind: 'invariant',
      doc: 'while any I/O goes to the backing file (a passthrough file, or a VMA of the backing file), none goes through the inode\'s page cache (a caching file, a page-cache VMA)',
      source: 'seed 004 (Amir Goldstein, 6 Dec 2023): "caching and passthrough mode on the same inode cannot mix"; fs/fuse/iomode.c (v6.12)',
      nonVacuousIf: ['PassthroughFileOpen', 'PageCacheMapped', 'BackingFileMapped'],
      holds: (s: S) => !passthroughUser(s) || !pageCacheUser(s),
    },
    ReadSeesLastWrite: {
      kind: 'action',
      actions: ['Read', 'Load'],
      doc: 'read(2) and a load return the version last written, by any route',
      source: 'POSIX read-after-write; xfstests generic/608 (the dax model\'s ReadSeesLastWrite)',
      nonVacuousIf: ['DaxFileOpen', 'PageCacheMapped'],
      holds: (before: S, step) => {
        const r = step.action === 'Read' ? k.route(before, step.params.f!) : k.vmaRoute(before, step.params.v!);
        return readsFrom(before, r) === before.written;
      },
    },
    ModeCounterConsistent: {
      kind: 'invariant',
      doc: 'every file whose I/O goes through the page cache, and every page-cache VMA\'s file, holds IOM_CACHED; every file whose I/O goes to the backing file holds IOM_UNCACHED; '
        + 'fi->iocachectr = IOM_CACHED files - IOM_UNCACHED files; fi->fb is set exactly while an IOM_UNCACHED file is open',
      source: 'fs/fuse/iomode.c (v6.12): fuse_file_cached_io_open, fuse_file_uncached_io_open, the WARN_ONs of fuse_file_cached_io_release and fuse_inode_uncached_io_end',
      nonVacuousIf: ['PageCacheMapped'],
      holds: (s: S) => {
        for (let f = 0; f < nf; f++) {
          const file = s.file[f];
          if (file.kind === FileKind.free) continue;
          const r = k.route(s, f);
          if (r === 'cache' && file.iomode !== IoMode.IOM_CACHED) return false;
          if (r === 'backing' && file.iomode !== IoMode.IOM_UNCACHED) return false;
        }
        for (let v = 0; v < nv; v++) if (s.vma[v].map === VmaMap.page_cache && s.file[s.vma[v].file].iomode !== IoMode.IOM_CACHED) return false;
        const uncached = countMode(s, IoMode.IOM_UNCACHED);
        return s.iocachectr === countMode(s, IoMode.IOM_CACHED) - uncached && (s.fb !== 0) === (uncached > 0);
      },
    },
    IocachectrNoUnderflow: {
      kind: 'invariant',
      doc: 'fi->iocachectr never goes below what the open passthrough (IOM_UNCACHED) files account for',
      source: 'seed 004 (Amir Goldstein, 6 Dec 2023): "it keeps underflowing in fuse_vma_close()"; fs/fuse/iomode.c WARN_ON(fi->iocachectr >= 0) (v6.12)',
      nonVacuousIf: ['PassthroughFileOpen'],
      holds: (s: S) => s.iocachectr >= -countMode(s, IoMode.IOM_UNCACHED),
    },
    NoPassthroughBesideDax: {
      kind: 'invariant',
      section: 'rule',
      doc: 'no I/O goes to the backing file while any goes through the DAX window (a DAX inode has no io modes, so no passthrough)',
      source: 'fs/fuse/iomode.c fuse_file_io_open: "io modes are not relevant with DAX"; fs/fuse/file.c fuse_file_mmap: "DAX mmap is superior" (v6.12)',
      nonVacuousIf: ['DaxFileOpen', 'PassthroughFileOpen'],
      holds: (s: S) => !daxUser(s) || !passthroughUser(s),
    },
    SDaxFixedWhileInUse: {
      kind: 'action',
      section: 'rule',
      actions: ['Lookup'],
      doc: 'S_DAX of the in-core inode changes only while no file and no VMA uses it',
      source: 'seed 002 (v6 cover [Note]): "the DAX state of the file won\'t be updated until this file is closed and reopened later"',
      nonVacuousIf: ['DaxFileOpen', 'ServerChangedWhileOpen'],
      holds: (before: S, _step, after: S) => !(before.inode.cached === 1 && after.inode.cached === 1 && before.inode.sDax !== after.inode.sDax) || !k.inUse(before),
    },

    DaxFileOpen: { kind: 'reachable', doc: 'a file is open on a DAX inode', reached: (s: S) => s.inode.sDax === 1 && fileOpen(s, nf) },
    PassthroughFileOpen: { kind: 'reachable', doc: 'a file\'s I/O goes to the backing file (ff->passthrough set)', reached: (s: S) => fileRoutes(s, 'backing') },
    PassthroughReplyOnDaxInode: {
      kind: 'reachable',
      doc: 'a FOPEN_PASSTHROUGH reply was accepted on a DAX inode and no backing file attached (v6.12 ignores it)',
      reached: (s: S) => {
        for (let f = 0; f < nf; f++) if (s.file[f].kind === FileKind.FOPEN_PASSTHROUGH && s.file[f].backingId === 0) return true;
        return false;
      },
    },
    PageCacheMapped: { kind: 'reachable', doc: 'a VMA maps the inode through the page cache', reached: (s: S) => mapped(s, VmaMap.page_cache) },
    DaxMapped: { kind: 'reachable', doc: 'a VMA maps the file through the DAX window', reached: (s: S) => mapped(s, VmaMap.dax) },
    BackingFileMapped: { kind: 'reachable', doc: 'a VMA maps the backing file', reached: (s: S) => mapped(s, VmaMap.backing_file) },
    ServerChangedWhileOpen: {
      kind: 'reachable',
      doc: 'a file is open while the server\'s FUSE_ATTR_DAX asks for the other mode',
      reached: (s: S) => s.inode.cached === 1 && fileOpen(s, nf) && s.inode.sDax !== s.serverDax,
    },
    RefusedPassthroughOpen: {
      kind: 'reachable',
      doc: 'the last step was a FOPEN_PASSTHROUGH open refused with -EIO',
      reached: (s: S) => s.refused.call === OpenFlags.FOPEN_PASSTHROUGH + 1,
    },
  };
}

function fileOpen(s: S, nf: number): boolean {
  for (let f = 0; f < nf; f++) if (s.file[f].kind !== FileKind.free) return true;
  return false;
}

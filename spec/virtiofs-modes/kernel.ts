// The kernel's rules for one FUSE inode that may be DAX, as checks and
// updates. The io-mode primitives are the passthrough model's own
// (spec/passthrough/iomode.ts, fs/fuse/iomode.c): they read and write only
// fi->iocachectr, fi->fb and a file's ff->iomode and backing id, which this
// model's state names and types alike, so they run on it unchanged.

import { connectionOf } from '../dax/fuse-init.js';
import {
  cachedIoOpen, cachedIoOpenCheck, ioRelease, uncachedIoOpen, uncachedIoStartCheck,
} from '../passthrough/iomode.js';
import type { S as PassthroughInode } from '../passthrough/state.js';
import type { ModesDesign } from './design.js';
import { FileKind, OpenFlags, PageCache, VmaMap, type Constants, type Route, type S, type World } from './state.js';

/** The io-mode fields of this model's state, as the passthrough model's rules read them. */
const modes = (s: S): PassthroughInode => s as unknown as PassthroughInode;

/**
 * fuse_should_enable_dax (fs/fuse/dax.c, v6.12): never -> off; no window
 * (fc->dax NULL) -> off; always -> on; inode -> fc->inode_dax && FUSE_ATTR_DAX.
 * The connection (a window whose map_alignment fits, FUSE_HAS_INODE_DAX
 * granted) is the dax model's (spec/dax/fuse-init.ts).
 */
export function daxAtIget(c: Constants): (serverDax: boolean) => boolean {
  const conn = connectionOf({ mount: c.mount, window: 'present', serverPerFileDax: 'yes', mapAlignment: 'fits', attrDaxSent: 'if-negotiated' });
  if (!conn.window || c.mount === 'never') return () => false;
  if (c.mount === 'always') return () => true;
  return (serverDax) => conn.inodeDax && serverDax;
}

export function kernelFor(w: World, d: ModesDesign) {
  const { nf, nv } = w;
  const enableDax = daxAtIget(w.c);
  /** fuse_is_inode_dax_mode: fuse_dax_dontcache (and a live switch) only act under an inode mode. */
  const inodeMode = w.c.mount === 'inode';

  /** The inode is in its DAX mode for the io-mode rules: FUSE_IS_DAX. */
  const isDax = (s: S) => s.inode.sDax === 1;
  const passthrough = (s: S, f: number) => s.file[f].backingId !== 0;

  /**
   * fuse_file_read_iter / fuse_file_write_iter (fs/fuse/file.c, v6.12): DAX
   * first, then FOPEN_DIRECT_IO ("overrides FOPEN_PASSTHROUGH"), then
   * ff->passthrough, else the page cache. A design may ask for passthrough first.
   */
  const route = (s: S, f: number): Route => {
    if (d.passthroughBeforeDax && passthrough(s, f)) return 'backing';
    if (isDax(s)) return 'dax';
    if (s.file[f].kind === FileKind.FOPEN_DIRECT_IO) return 'server';
    if (passthrough(s, f)) return 'backing';
    return 'cache';
  };
  const vmaRoute = (s: S, v: number): Route => {
    const m = s.vma[v].map;
    return m === VmaMap.dax ? 'dax' : m === VmaMap.backing_file ? 'backing' : 'cache';
  };

  /**
   * fuse_file_io_open (fs/fuse/iomode.c, v6.12): nothing for a DAX inode
   * ("io modes are not relevant with DAX"); otherwise -EIO for a
   * non-passthrough open of an inode with a fuse_backing, no reference for
   * FOPEN_DIRECT_IO, fuse_file_passthrough_open for FOPEN_PASSTHROUGH (with
   * no backing id registered, fuse_passthrough_open's idr_find fails:
   * -ENOENT, turned into -EIO), fuse_file_cached_io_open for the rest.
   */
  const openCheck = (s: S, flags: number): 'OK' | 'EIO' | 'HANG' => {
    if (isDax(s) && !d.ioModesOnDax) return 'OK';
    if (s.fb !== 0 && flags !== OpenFlags.FOPEN_PASSTHROUGH) return 'EIO';
    if (flags === OpenFlags.FOPEN_DIRECT_IO) return 'OK';
    if (flags === OpenFlags.FOPEN_PASSTHROUGH) {
      if (!w.backingRegistered) return 'EIO';
      return uncachedIoStartCheck(modes(s), 1) === 'OK' ? 'OK' : 'EIO';
    }
    const r = cachedIoOpenCheck(modes(s));
    return r === 'ETXTBSY' ? 'EIO' : r;
  };
  /** The first MAP_SHARED mmap of a FOPEN_DIRECT_IO file: fuse_file_cached_io_open, kept until release. */
  const takeCachedRef = (s: S, f: number): void => cachedIoOpen(modes(s), f);
  const takeOpenRef = (s: S, f: number, flags: number): void => {
    if (isDax(s) && !d.ioModesOnDax) return;
    if (flags === OpenFlags.caching) cachedIoOpen(modes(s), f);
    else if (flags === OpenFlags.FOPEN_PASSTHROUGH) uncachedIoOpen(modes(s), f, 1);
  };

  /**
   * fuse_file_mmap (fs/fuse/file.c, v6.12), MAP_SHARED: a DAX inode maps
   * the window ("DAX mmap is superior to direct_io mmap"); a passthrough
   * file maps its backing file; any other file of an inode with a
   * fuse_backing is -ENODEV; FOPEN_DIRECT_IO invalidates the page cache and
   * enters caching mode (its -ETXTBSY returned as is).
   */
  const mmapCheck = (s: S, f: number): 'OK' | 'ENODEV' | 'ETXTBSY' | 'HANG' => {
    const r = mmapRoute(s, f);
    if (r !== 'cache') return 'OK';
    if (s.fb !== 0) return 'ENODEV';
    return s.file[f].kind === FileKind.FOPEN_DIRECT_IO ? cachedIoOpenCheck(modes(s)) : 'OK';
  };
  const mmapRoute = (s: S, f: number): Route => {
    if (d.passthroughBeforeDax && passthrough(s, f)) return 'backing';
    if (isDax(s)) return 'dax';
    return passthrough(s, f) ? 'backing' : 'cache';
  };

  /**
   * Dirty pages to the server: write_inode_now -> writepages. A DAX inode's
   * a_ops are fuse_dax_file_aops, whose fuse_dax_writepages writes back DAX
   * entries only (dax_writeback_mapping_range), so a page-cache page of a DAX
   * inode is never written (fs/fuse/dax.c, v6.12).
   */
  const writeback = (s: S): void => {
    if (s.pages === PageCache.dirty && !isDax(s)) { s.disk = s.pagesVer; s.pages = PageCache.clean; }
  };
  /**
   * invalidate_inode_pages2: dirty pages laundered first (fuse_launder_folio);
   * fuse_dax_file_aops has no launder_folio, so a dirty page of a DAX inode
   * stays (-EBUSY, which fuse_open and fuse_file_mmap ignore).
   */
  const invalidate = (s: S): void => {
    writeback(s);
    if (s.pages === PageCache.clean) { s.pages = PageCache.none; s.pagesVer = 0; }
  };
  /** A read through the page cache: filemap_read / filemap_fault fill a missing page with FUSE_READ. */
  const fillPages = (s: S): void => {
    if (s.pages === PageCache.none) { s.pages = PageCache.clean; s.pagesVer = s.disk; }
  };

  const fileMapped = (s: S, f: number): boolean => {
    for (let v = 0; v < nv; v++) {
      const m = s.vma[v].map;
      if ((m === VmaMap.page_cache || m === VmaMap.dax) && s.vma[v].file === f) return true;
    }
    return false;
  };
  const anyVma = (s: S): boolean => {
    for (let v = 0; v < nv; v++) if (s.vma[v].map !== VmaMap.unmapped) return true;
    return false;
  };
  const anyFile = (s: S): boolean => {
    for (let f = 0; f < nf; f++) if (s.file[f].kind !== FileKind.free) return true;
    return false;
  };
  /**
   * What holds the in-core inode: a struct file (its fd or a page-cache or
   * DAX VMA's vm_file), or a backing-file VMA, whose vm_file is the backing
   * file opened by backing_file_open with the FUSE path as its user path
   * (path_get(user_path), fs/backing-file.c, v6.12): the FUSE dentry, and so
   * the inode, outlive the passthrough file while the mapping lives.
   */
  const inUse = (s: S): boolean => anyFile(s) || anyVma(s);

  /** evict (fuse_evict_inode, v6.12): iput_final writes dirty pages back first, truncate_inode_pages_final drops the rest. */
  const evict = (s: S): void => {
    writeback(s);
    s.inode.cached = 0; s.inode.sDax = 0; s.inode.dontcache = 0;
    s.pages = PageCache.none; s.pagesVer = 0;
  };
  /** The last reference to a DONTCACHE inode evicts it at once (DCACHE_DONTCACHE dentry killed at dput, iput_final). */
  const evictIfDone = (s: S): void => {
    if (s.inode.cached === 1 && s.inode.dontcache === 1 && !inUse(s)) evict(s);
  };

  /**
   * fuse_iget of a new inode (fs/fuse/inode.c, v6.12): fuse_init_file_inode
   * sets fi->iocachectr = 0 and calls fuse_dax_inode_init (S_DAX and
   * fuse_dax_file_aops iff fuse_should_enable_dax); fuse_alloc_inode left
   * fi->fb NULL.
   */
  const iget = (s: S): void => {
    s.inode.cached = 1;
    s.inode.sDax = enableDax(s.serverDax === 1) ? 1 : 0;
    s.inode.dontcache = 0;
    s.iocachectr = 0; s.fb = 0;
  };
  /**
   * A FUSE_LOOKUP/FUSE_GETATTR reply for the in-core inode:
   * fuse_change_attributes -> fuse_dax_dontcache marks it when IS_DAX differs
   * from FUSE_ATTR_DAX under an inode mode (v6.12). The `switch-live` design
   * switches instead, as xfs's ioctl did: write back, invalidate, flip.
   */
  const attrsArrive = (s: S): void => {
    if (!inodeMode || s.inode.sDax === s.serverDax) return;
    if (d.onAttrDaxChange === 'mark-dontcache') { s.inode.dontcache = 1; return; }
    const want = enableDax(s.serverDax === 1) ? 1 : 0;
    if (want === s.inode.sDax) return;
    invalidate(s);
    s.inode.sDax = want;
  };

  /**
   * fuse_file_put at the struct file's last reference (fs/fuse/file.c,
   * v6.12): fuse_prepare_release drops ff->passthrough, fuse_file_io_release
   * the file's io-mode reference (by ff->iomode; it does not ask FUSE_IS_DAX).
   */
  const releaseIfDone = (s: S, f: number): void => {
    const file = s.file[f];
    if (file.kind === FileKind.free || file.fd === 1 || fileMapped(s, f)) return;
    ioRelease(modes(s), f);
    file.kind = FileKind.free; file.iomode = 0; file.backingId = 0;
  };

  return {
    isDax, passthrough, route, vmaRoute, openCheck, takeOpenRef, takeCachedRef, mmapCheck, mmapRoute,
    writeback, invalidate, fillPages, iget, attrsArrive, evict, evictIfDone, releaseIfDone, inUse,
  };
}

export type Kernel = ReturnType<typeof kernelFor>;

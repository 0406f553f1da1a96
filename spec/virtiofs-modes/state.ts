// The state of one regular file on a virtiofs mount with a DAX window, under
// -o dax=inode: the in-core inode (S_DAX chosen at instantiation from the
// server's FUSE_ATTR_DAX), the struct files opened on it with the server's
// open_flags, the MAP_SHARED VMAs mapping it, the inode's I/O-mode
// bookkeeping of fs/fuse/iomode.c, and where its data is.
//
// Kernel: v6.12 (stable 6.12.19, fs/fuse/{dax,file,inode,iomode,passthrough}.c,
// fs/backing-file.c, fs/splice.c), read for this model. "v6.12" below means it.
//
// The data, as a version number: `disk` is the server's file, which the DAX
// window maps (FUSE_SETUPMAPPING maps the host file into the window, so a DAX
// access is the server's data), FUSE_READ/FUSE_WRITE reach, and, in this
// model, the backing file a server registers for passthrough is taken to
// hold too (the most favourable reading for mixing passthrough with the
// rest: no failure below needs the backing file to differ from the server's
// file). The one other copy is the FUSE inode's own page cache (`pages`).
//
// What the model leaves out, and why:
// - One file, one server, no FUSE_WRITEBACK_CACHE (fc->passthrough excludes
//   it at FUSE_INIT, process_init_reply, v6.12), so write(2) through the page
//   cache writes through; only a store through a MAP_SHARED page-cache VMA
//   dirties a page.
// - No MAP_PRIVATE (POSIX leaves a private mapping's view of later writes
//   unspecified), no FOPEN_KEEP_CACHE (every open invalidates the page cache,
//   fuse_open, v6.12), no FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO, no O_TRUNC, no
//   parallel direct-io writes in flight (the passthrough model's `dioWrites`),
//   no processes or fork (a struct file is held by one fd or by its VMAs).
// - FUSE_DIRECT_IO_ALLOW_MMAP is taken as granted (MAP_SHARED of a
//   FOPEN_DIRECT_IO file is allowed), one backing id (1) can be named.
// - The DAX window has a range for the file whenever it needs one (range
//   reclaim is the dax model's `windowRanges`); attribute timeouts are not
//   kept: a Lookup step is the kernel asking the server (a path walk, a
//   statx, a revalidation), whenever that happens.
// - auto_inval_data: a FUSE_GETATTR reply with a changed mtime drops the page
//   cache (fuse_change_attributes, v6.12); the model's attribute refreshes do
//   not, so a stale page is read until something else drops it.

import { arrayOf, bool, enumOf, indexSet, int, record } from '../../checker/domain.js';
import { enumConstant, intConstant, type ConstantValues } from '../../checker/model.js';
import type { View } from '../../checker/layout.js';
import { PageCache } from '../dax/state.js';
import { IoMode } from '../passthrough/state.js';

export { IoMode, PageCache };

export const constants = {
  files: intConstant(1, 3, 2, 'struct file slots of the inode (open(2) of the file, each with the server\'s open_flags)'),
  vmas: intConstant(1, 2, 1, 'MAP_SHARED VMA slots'),
  versions: intConstant(1, 3, 1, 'writes explored; a write at the bound is not taken'),
  mount: enumConstant(['inode', 'always', 'never'], 'inode', '-o dax=inode|always|never (spec/dax/fuse-init.ts connectionOf, with a window that fits)'),
  backingIds: enumConstant(['registered', 'none'], 'registered',
    'registered: backing id 1 is registered (FUSE_DEV_IOC_BACKING_OPEN) and FUSE_PASSTHROUGH granted at FUSE_INIT, what fs/fuse would do on a transport with both; '
    + 'none: virtiofs as it is, no /dev/fuse fd to register one on, so a FOPEN_PASSTHROUGH open of a non-DAX inode is -EIO'),
};
export type Constants = ConstantValues<typeof constants>;

/** What the server answered in the OPEN reply's open_flags; `caching` has neither bit. */
export const OpenFlags = enumOf('caching', 'FOPEN_DIRECT_IO', 'FOPEN_PASSTHROUGH');
/** A file slot: released (free), or a struct file opened with these open_flags. */
export const FileKind = enumOf('free', 'caching', 'FOPEN_DIRECT_IO', 'FOPEN_PASSTHROUGH');
/**
 * What a MAP_SHARED VMA maps: the inode's page cache (fuse_file_vm_ops), the
 * DAX window (fuse_dax_vm_ops), or the backing file (backing_file_mmap makes
 * the backing file vm_file).
 */
export const VmaMap = enumOf('unmapped', 'page_cache', 'dax', 'backing_file');
/** Where read(2)/write(2) of a file go, or a VMA's loads and stores. */
export type Route = 'dax' | 'server' | 'backing' | 'cache';

/** HISTORY, for traces: the call the last step refused, and what it returned. */
export const RefusedCall = enumOf('none', 'Open(caching)', 'Open(FOPEN_DIRECT_IO)', 'Open(FOPEN_PASSTHROUGH)', 'Mmap');
export const Errno = enumOf('none', 'EIO', 'ENODEV', 'ETXTBSY', 'HANG');
export type ErrnoName = (typeof Errno.values)[number];

export function worldFor(c: Constants) {
  const Files = indexSet('file', c.files);
  const Vmas = indexSet('vma', c.vmas);
  const schema = record({
    /** The server's FUSE_ATTR_DAX for the file now: an input, changed by the server at any time. */
    serverDax: bool,
    inode: record({
      /** The inode is in memory (fuse_iget made it; evict freed it). */
      cached: bool,
      /** S_DAX, set by fuse_dax_inode_init at instantiation. */
      sDax: bool,
      /** I_DONTCACHE (and DCACHE_DONTCACHE on its dentry): evicted at the last reference. */
      dontcache: bool,
    }),
    file: arrayOf(Files, record({
      kind: FileKind,
      /** The fd still holds the struct file (close(2) not yet called); a VMA may hold it after. */
      fd: bool,
      /** ff->iomode: the reference the file holds on fi->iocachectr. */
      iomode: IoMode,
      /** The backing id a passthrough open attached, 0 otherwise (ff->passthrough set iff 1). */
      backingId: int(0, 1),
    })),
    vma: arrayOf(Vmas, record({ map: VmaMap, file: Files })),
    /** fi->iocachectr: > 0 caching users, < 0 passthrough users. */
    iocachectr: int(-c.files - 1, c.files + c.vmas + 1),
    /** fi->fb: the backing id attached to the inode, 0 = none. */
    fb: int(0, 1),
    /** The server's file (and the DAX window onto it, and the backing file): the version stored. */
    disk: int(0, c.versions),
    /** The FUSE inode's page cache: none, a clean or a dirty copy of version `pagesVer`. */
    pages: PageCache,
    pagesVer: int(0, c.versions),
    /** GHOST: the version the last write or store wrote (reads must return it). */
    written: int(0, c.versions),
    refused: record({ call: RefusedCall, errno: Errno }),
  });
  return { c, Files, Vmas, schema, nf: c.files, nv: c.vmas, backingRegistered: c.backingIds === 'registered' };
}

export type World = ReturnType<typeof worldFor>;
export type Schema = World['schema'];
export type S = View<Schema>;

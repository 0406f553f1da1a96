// The state of the per-file DAX model: what is on storage, what the in-core
// inode holds, and what each process has open and mapped. Everything is an
// array over files (and processes) so that actions index typed arrays.

import { arrayOf, bool, enumOf, indexSet, int, record } from '../../checker/domain.js';
import type { View } from '../../checker/layout.js';
import type { Constants } from './constants.js';
import { chunksOfBigFile, tracksRanges } from './window-ranges.js';

/** How a process holds a file open. O_RDONLY opens exist only where a design asks for them (Ted Ts'o's rule). */
export const Fd = enumOf('closed', 'O_RDWR', 'O_RDONLY');

/**
 * How a VMA was set up at mmap time. A DAX VMA has VM_MIXEDMAP|VM_HUGEPAGE and
 * the DAX vm_ops (ext4_file_mmap, xfs_file_mmap, fuse_dax_mmap); a page-cache
 * VMA has neither.
 */
export const Vma = enumOf('none', 'pagecache', 'dax');

/** What the one page-table entry of a VMA points at: a page-cache page or a pmem/window pfn, read-only or writable. */
export const Pte = enumOf('none', 'pagecache-ro', 'pagecache-rw', 'dax-ro', 'dax-rw');

/** The file's page-cache copy. One page per file: byte ranges are collapsed. */
export const PageCache = enumOf('none', 'clean', 'dirty');

/**
 * File size as far as DAX cares: `empty` (i_size 0: a fault is SIGBUS, and
 * Ted Ts'o's rule applies), or one side of the virtiofs server's threshold
 * (32 KiB in the v6 cover letter, seed 002).
 */
export const Size = enumOf('empty', 'small', 'big');

/**
 * The in-core inode (with its one dentry): never looked up since mount;
 * evicted at its last reference (I_DONTCACHE, or an expired FUSE dentry);
 * reclaimed by memory pressure or drop_caches; or cached.
 */
export const InCore = enumOf('never', 'evicted', 'reclaimed', 'cached');

/**
 * Ghost, for the reachability goals: how the inode's current S_DAX came to
 * differ from its previous one. `afterLastClose`: re-instantiated in the other
 * mode after an eviction at the last reference; `onDemand`: flipped on the
 * live inode while another process had the file open or mapped (what Dave
 * Chinner asked for, seed 003, 2017-09-07T22:12); `otherwise`: flipped on the
 * live inode with no other user, or re-instantiated after reclaim. Reset at eviction.
 */
export const ModeChange = enumOf('none', 'afterLastClose', 'otherwise', 'onDemand');

/**
 * A write fault on a read-only PTE between the mm's half and the filesystem's
 * (cut=locks only). The mm picks the handler from the PTE with no filesystem
 * lock (mm/memory.c do_wp_page: wp_page_shared -> do_page_mkwrite for a page,
 * wp_pfn_shared -> vm_ops->pfn_mkwrite for a pfn in a VM_MIXEDMAP VMA); the
 * handler then takes the fault lock and serves it with a vmf set up for a
 * page or a pfn. (->fault, for a missing PTE, has the same vmf in both modes,
 * Jan Kara, seed 003, 2017-09-08, so it stays one step.)
 */
export const FaultStage = enumOf('none', 'page_mkwrite', 'pfn_mkwrite');

/**
 * Where the file's unused dentry stands on the dcache LRU (fs/dcache.c
 * retain_dentry, v5.10): never retained since it was allocated; put on the
 * LRU at the first dput to zero (d_lru_add); DCACHE_REFERENCED set at the
 * next. Only the 5.8-5.10 design reads it (spec/dax/dcache-5.10.ts): there
 * fast_dput keeps a REFERENCED dentry on the LRU without looking at
 * DCACHE_DONTCACHE; elsewhere it stays `none`.
 */
export const DentryLru = enumOf('none', 'lru', 'referenced');

/** cut=locks: the path a write(2) chose from IS_DAX before taking the I/O lock, while it waits for the lock. */
export const WritePath = enumOf('none', 'buffered', 'dax');

type ShapeConstants = Pick<Constants, 'files' | 'procs' | 'versions'> & Partial<Pick<Constants, 'windowRanges' | 'setupMapping' | 'fileChunks'>>;

export function shapeOf(c: ShapeConstants) {
  const Files = indexSet('f', c.files);
  const Chunks = indexSet('chunk', chunksOfBigFile(c));
  const Procs = indexSet('p', c.procs);
  const Version = int(0, c.versions);
  const perFile = <D extends Parameters<typeof arrayOf>[1]>(d: D) => arrayOf(Files, d);
  const perProcFile = <D extends Parameters<typeof arrayOf>[1]>(d: D) => arrayOf(Procs, arrayOf(Files, d));
  const schema = record({
    // --- on storage (pmem for ext4/xfs; the host file behind virtiofsd) ---
    /** FS_XFLAG_DAX as stored: EXT4_DAX_FL / XFS_DIFLAG2_DAX, or the host's flag that virtiofsd keeps (Dave Chinner, seed 000, 2021-09-27). */
    xflagDax: perFile(bool),
    size: perFile(Size),
    /** The data version storage holds. */
    storage: perFile(Version),
    /** Ghost: the last version anyone wrote, which every read must return. */
    lastWrite: perFile(Version),

    // --- the in-core inode ---
    inode: perFile(InCore),
    /** S_DAX in i_flags. While the inode is not cached it keeps the value it was evicted with. */
    sDax: perFile(bool),
    /** I_DONTCACHE on the inode (set by d_mark_dontcache, fs/dcache.c). */
    iDontcache: perFile(bool),
    /** DCACHE_DONTCACHE on the file's dentry: d_mark_dontcache marks only aliases that exist when it runs. */
    dDontcache: perFile(bool),
    /** virtiofs: the dentry's entry timeout has not expired. */
    entryValid: perFile(bool),
    /**
     * virtiofs: the inode's attributes are valid (attr timeout not expired, and
     * not invalidated: a write invalidates size and mtime, fuse_write_update_attr
     * -> fuse_invalidate_attr_mask(inode, FUSE_STATX_MODSIZE), fs/fuse/file.c 5.16+).
     */
    attrValid: perFile(bool),
    pageCache: perFile(PageCache),
    /**
     * The mapping's i_pages holds DAX entries: a DAX fault put them there
     * (fs/dax.c dax_iomap_fault -> grab_mapping_entry); only truncation or
     * invalidation takes them out (dax_delete_mapping_entry,
     * dax_invalidate_mapping_entry_sync), and eviction
     * (truncate_inode_pages_final). Reclaim leaves them (actions/reclaim.ts).
     */
    daxEntries: perFile(bool),
    /** The version the page-cache copy holds (0 when there is none). */
    pageVersion: perFile(Version),
    modeChange: perFile(ModeChange),

    // --- processes ---
    fd: perProcFile(Fd),
    vma: perProcFile(Vma),
    /** The VMA was mapped from an O_RDONLY fd, so it has no PROT_WRITE. */
    vmaReadOnly: perProcFile(bool),
    pte: perProcFile(Pte),
    /** cut=locks: the mkwrite the mm has chosen and the filesystem's handler has not yet run. */
    fault: perProcFile(FaultStage),
    /**
     * cut=locks: the process is inside FS_IOC_FSSETXATTR between the design's
     * check and the flip, holding the inode's I/O lock (i_rwsem; XFS_IOLOCK_EXCL)
     * and its fault lock (mapping->invalidate_lock since 5.15; XFS_MMAPLOCK_EXCL /
     * ext4 i_mmap_sem before), and the design's own lock if it has one.
     */
    ioctl: perProcFile(bool),
    /** cut=locks: a write(2) between its choice of path and its copy under the I/O lock. */
    writePath: perProcFile(WritePath),
    /** 5.8-5.10 design only: the dentry's place on the dcache LRU (DentryLru). */
    dLru: perFile(DentryLru),
    /**
     * virtiofs, only where the DAX window can run out or FUSE_SETUPMAPPING can
     * fail (spec/dax/window-ranges.ts; absent otherwise, so the default state
     * and its traces are unchanged): the chunk holds a range of the window, a
     * fuse_dax_mapping in the inode's interval tree (fs/fuse/dax.c
     * fuse_setup_one_mapping). DAX entries in i_pages (daxEntries, the first
     * chunk's) imply the first chunk's range.
     */
    ...(tracksRanges(c) ? { daxRange: perFile(arrayOf(Chunks, bool)) } : {}),
  });
  return { Files, Procs, Chunks, schema };
}

export type Schema = ReturnType<typeof shapeOf>['schema'];
/** A state as actions and properties see it: typed arrays over the flat vector. */
export type S = View<Schema>;

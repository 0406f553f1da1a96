// The state of one FUSE inode whose opens may be caching, FOPEN_DIRECT_IO or
// FOPEN_PASSTHROUGH: the fuse_files, the VMAs mapping them, the processes
// holding both, and the inode's I/O-mode bookkeeping (fs/fuse/iomode.c).
//
// Kernel: torvalds/linux a23e1966932464e1c5226cb9ac4ce1d5fc10ba22 (mainline,
// Makefile 6.9.0 with no -rc: v6.9, after Amir Goldstein's April 2024 fix
// "fuse: fix wrong ff->iomode state changes from parallel dio write"), read
// for this model: fs/fuse/iomode.c, fs/fuse/file.c, fs/fuse/passthrough.c.
// Short form in the other files: "a23e1966, v6.9+".
//
// What the model leaves out, and why that is safe for the properties:
// - One inode, no DAX (fuse_file_io_open returns early for DAX), by default a
//   server that implements OPEN (ff->args set, so I/O modes apply; constant
//   serverOpen=ENOSYS: fc->no_open, actions/init.ts) and passthrough granted
//   at FUSE_INIT (constant passthroughInit), no writeback cache (FUSE_INIT
//   makes it exclusive with passthrough), by default no page-cache contents
//   (constant keepCache=true keeps one page: FOPEN_KEEP_CACHE and stale data,
//   actions/page-cache.ts), and by default backing ids registered at set-up and never
//   closed (constant backingIds=ioctl: FUSE_DEV_IOC_BACKING_OPEN/_CLOSE as
//   steps, actions/backing.ts).
// - By default (dioWrites=0) no parallel direct-io writes (fuse_dio_lock ->
//   fuse_inode_uncached_io_start(fi, NULL)), so nothing is ever in flight:
//   system calls are atomic steps, release never waits for I/O, and
//   FUSE_I_CACHE_IO_MODE (which only steers those writers) is not kept.
//   dioWrites > 0 adds them at the lock level (dio-state.ts, actions/dio.ts).
// - By default FOPEN_PASSTHROUGH | FOPEN_DIRECT_IO is not opened (constant
//   passthroughDirectIo, actions/fopen.ts) and no user opens with O_DIRECT
//   (constant userODirect).
// - fds are collapsed to "this process holds the struct file": dup and fork
//   share one struct file, so several fds of one process count as one.
// - VMA address ranges are not kept; a split gives two pieces, not three.

import { arrayOf, bool, enumOf, indexSet, int, record, type ArrayDomain } from '../../checker/domain.js';
import { enumConstant, intConstant, type ConstantValues } from '../../checker/model.js';
import type { View } from '../../checker/layout.js';
import { dioFields } from './dio-state.js';

export const constants = {
  files: intConstant(1, 4, 2, 'struct file / fuse_file slots of the inode'),
  vmas: intConstant(1, 6, 2, 'VMA slots (2 is the least that lets a fork or a split copy a mapping)'),
  procs: intConstant(1, 3, 2, 'process slots (p1 never exits)'),
  backings: intConstant(1, 2, 1, 'backing ids the server can name in FOPEN_PASSTHROUGH replies (2 reaches EBUSY)'),
  directIoAllowMmap: enumConstant(['true', 'false'], 'true', 'FUSE_DIRECT_IO_ALLOW_MMAP in the FUSE_INIT reply (fc->direct_io_allow_mmap)'),
  dioWrites: intConstant(0, 2, 0, 'direct-io write slots: writes of FOPEN_DIRECT_IO files in flight at once, each holding the inode lock (0: no dio writes, the model as before; dio-state.ts)'),
  serverOpen: enumConstant(['implemented', 'ENOSYS'], 'implemented', 'the server\'s answer to FUSE_OPEN: a reply, or -ENOSYS (no OPEN: the kernel sets fc->no_open, and files have no io modes; fs/fuse/file.c fuse_file_open)'),
  passthroughInit: enumConstant(['granted', 'not-offered', 'stack-depth-0'], 'granted', 'the FUSE_INIT reply: FUSE_PASSTHROUGH with max_stack_depth 1 (granted), without FUSE_PASSTHROUGH, or with max_stack_depth 0; only granted sets fc->passthrough (fs/fuse/inode.c process_init_reply)'),
  parallelDirectWrites: enumConstant(['true', 'false'], 'true', 'FOPEN_PARALLEL_DIRECT_WRITES in the server\'s FOPEN_DIRECT_IO replies (false: every dio write takes the exclusive inode lock)'),
  passthroughDirectIo: enumConstant(['false', 'true'], 'false', 'the server may answer OPEN with FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO: passthrough io mode and backing-file mmap, read/write to the server (fs/fuse/file.c fuse_file_read_iter "FOPEN_DIRECT_IO overrides FOPEN_PASSTHROUGH"); true also gives FOPEN_DIRECT_IO files their read/write step'),
  keepCache: enumConstant(['false', 'true'], 'false', 'the server may add FOPEN_KEEP_CACHE to its OPEN replies (fuse_open then keeps the page cache: stale data across opens; with FOPEN_PASSTHROUGH it is outside FOPEN_PASSTHROUGH_MASK, open(2) -EIO), and the server\'s data may change (page-cache contents kept: actions/page-cache.ts)'),
  userODirect: enumConstant(['false', 'true'], 'false', 'a user may open(2) with O_DIRECT a file the server answers without FOPEN_DIRECT_IO: a caching file (caching io mode) whose read/write go to the server through fuse_direct_IO'),
  backingIds: enumConstant(['registered', 'ioctl'], 'registered', 'the server\'s backing ids: registered at set-up and never closed, or FUSE_DEV_IOC_BACKING_OPEN / _CLOSE as steps of the server (fs/fuse/passthrough.c fuse_backing_open, fuse_backing_close)'),
};
export type Constants = ConstantValues<typeof constants>;

/**
 * What the server answered in the OPEN reply's open_flags; `caching` has
 * neither bit. The last three exist only under their constants (the Open
 * guard says which): passthroughDirectIo, keepCache, and userODirect, whose
 * `caching+O_DIRECT` is the user's O_DIRECT open answered without
 * FOPEN_DIRECT_IO.
 */
export const OpenFlags = enumOf('caching', 'FOPEN_DIRECT_IO', 'FOPEN_PASSTHROUGH',
  'FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO', 'FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE', 'caching+O_DIRECT',
  'caching|FOPEN_KEEP_CACHE', 'FOPEN_DIRECT_IO|FOPEN_KEEP_CACHE');
/** Replies with FOPEN_KEEP_CACHE: fuse_open does not invalidate the inode's page cache after them. */
export const keepsCache = (flags: number): boolean =>
  flags === OpenFlags['caching|FOPEN_KEEP_CACHE'] || flags === OpenFlags['FOPEN_DIRECT_IO|FOPEN_KEEP_CACHE'] || flags === OpenFlags['FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE'];

/** A file slot: released (free), or open with the server's open_flags (FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE never opens). */
export const FileKind = enumOf('free', 'caching', 'FOPEN_DIRECT_IO', 'FOPEN_PASSTHROUGH', 'FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO', 'caching+O_DIRECT');

/** Files in passthrough io mode (fuse_file_passthrough(ff) set): FOPEN_PASSTHROUGH, with or without FOPEN_DIRECT_IO. */
export const isPassthroughKind = (k: number): boolean => k === FileKind.FOPEN_PASSTHROUGH || k === FileKind['FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO'];
/** Files that took a caching reference at open (fuse_file_cached_io_open): a caching reply, with or without the user's O_DIRECT. */
export const isCachingKind = (k: number): boolean => k === FileKind.caching || k === FileKind['caching+O_DIRECT'];
/** Reply flags with FOPEN_PASSTHROUGH set. */
export const hasPassthroughFlag = (flags: number): boolean =>
  flags === OpenFlags.FOPEN_PASSTHROUGH || flags === OpenFlags['FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO'] || flags === OpenFlags['FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE'];

/** A backing id of the server (backingIds=ioctl): never allocated, registered (in fc->backing_files_map), or closed. */
export const BackingIdState = enumOf('unused', 'registered', 'closed');

/** ff->iomode: which counted reference on fi->iocachectr the file holds. */
export const IoMode = enumOf('IOM_NONE', 'IOM_CACHED', 'IOM_UNCACHED');

/**
 * What a VMA maps. A passthrough file's mmap goes to the backing file
 * (fuse_passthrough_mmap -> backing_file_mmap replaces vma->vm_file), so such
 * a VMA neither pins the fuse_file nor runs fuse_vma_close; for it `file` is
 * the struct file it was mapped through, which nothing reads (kept rather than
 * blanked so that renaming files maps steps to steps: index.ts declares them
 * symmetric).
 */
export const VmaMap = enumOf('unmapped', 'MAP_PRIVATE', 'MAP_SHARED', 'backing_file');

/**
 * GHOST, for the properties only: the strongest page-cache mmap ever made of a
 * FOPEN_DIRECT_IO file. Never reset by munmap; cleared when the slot is freed.
 */
export const EverMapped = enumOf('never', 'MAP_PRIVATE', 'MAP_SHARED');

/**
 * HISTORY, for traces and goals: the system call refused by the last step, if
 * any. A refusal changes nothing else, so without it a refused call would be a
 * self-loop and never appear in a trace.
 */
export const RefusedCall = enumOf('none', 'Open(caching)', 'Open(FOPEN_DIRECT_IO)', 'Open(FOPEN_PASSTHROUGH)', 'Mmap(MAP_PRIVATE)', 'Mmap(MAP_SHARED)',
  'Open(FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO)', 'Open(FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE)', 'Open(caching+O_DIRECT)', 'BackingOpen', 'BackingClose',
  'Open(caching|FOPEN_KEEP_CACHE)', 'Open(FOPEN_DIRECT_IO|FOPEN_KEEP_CACHE)');

/**
 * keepCache=true: the page the programs read (page 0, its first byte) in the
 * FUSE inode's page cache: not cached, cached as the server has it, or cached
 * while the server's data has changed since (stale).
 */
export const PageCache = enumOf('empty', 'current', 'stale');
/** HISTORY (keepCache=true): what the last step's read(2) through the page cache returned. */
export const ReadData = enumOf('none', 'current', 'stale');
/** What the refused call returned; HANG: it sleeps in wait_event(fi->direct_io_waitq). */
export const Errno = enumOf('none', 'EIO', 'ENODEV', 'ETXTBSY', 'HANG', 'ENOENT', 'EPERM');
export type ErrnoName = (typeof Errno.values)[number];

export function worldFor(c: Constants) {
  const Files = indexSet('file', c.files);
  const Vmas = indexSet('vma', c.vmas);
  const Procs = indexSet('p', c.procs);
  /**
   * The range a sound design keeps fi->iocachectr in: above zero at most one
   * reference per open file or cached mapping, below zero one per passthrough
   * open. vma-close-refcount drifts below without end, so the domain has one
   * value of headroom underneath: ModeCounterConsistent reports reaching it,
   * and that design's state constraint stops the search there rather than let
   * an effect write outside the domain.
   */
  const counterRange = { lo: -c.files - c.dioWrites, hi: c.files + c.vmas };
  const dio = dioFields(c.dioWrites, Files, Procs);
  const baseFields = {
    alive: arrayOf(Procs, bool),
    file: arrayOf(Files, record({
      kind: FileKind,
      iomode: IoMode,
      /** The backing id a FOPEN_PASSTHROUGH file was opened with; 0 otherwise. */
      backingId: int(0, c.backings),
      /** Which processes hold the struct file (an fd, shared by fork). */
      heldBy: arrayOf(Procs, bool),
      everMapped: EverMapped,
    })),
    /** In any order: a slot is a place, not an identity (see vmas.ts). */
    vma: arrayOf(Vmas, record({ map: VmaMap, file: Files, proc: Procs })),
    /** fi->iocachectr: > 0 caching users, < 0 passthrough users. */
    iocachectr: int(counterRange.lo - 1, counterRange.hi),
    /** fi->fb, as the backing id it came from; 0 = no fuse_backing attached. */
    fb: int(0, c.backings),
    refused: record({ call: RefusedCall, errno: Errno }),
  };
  // The dio slots exist only when dioWrites > 0 (so the default schema, and its
  // states, are the model's without them); the type always names them, and
  // every reader checks `w.dio` first.
  // fc->no_open, kept only for serverOpen=ENOSYS (the observation rules read it: no FUSE_RELEASE is ever sent).
  const noOpenField = c.serverOpen === 'ENOSYS' ? { noOpen: bool } : {};
  // fc->backing_files_map as the server's ids, only for backingIds=ioctl (actions/backing.ts); id b is slot b-1.
  const backingIdField = c.backingIds === 'ioctl' ? { backingMap: arrayOf(indexSet('id', c.backings), BackingIdState) } : {};
  // The page cache's page 0, only for keepCache=true (actions/page-cache.ts).
  const pageCacheFields = c.keepCache === 'true' ? { pageCache: PageCache, read: ReadData } : {};
  const extra = { ...noOpenField, ...backingIdField, ...pageCacheFields };
  const schema = record((c.dioWrites > 0 ? { ...baseFields, ...extra, ...dio.fields } : { ...baseFields, ...extra }) as
    typeof baseFields & typeof dio.fields & { noOpen: typeof bool; backingMap: ArrayDomain<typeof BackingIdState>; pageCache: typeof PageCache; read: typeof ReadData });
  return {
    c, Files, Vmas, Procs, schema, counterRange,
    Writers: dio.Writers, nw: c.dioWrites, dio: c.dioWrites > 0,
    parallelDirectWrites: c.parallelDirectWrites === 'true',
    passthroughGranted: c.passthroughInit === 'granted' && c.serverOpen === 'implemented',
    noOpen: c.serverOpen === 'ENOSYS',
    nf: c.files, nv: c.vmas, np: c.procs,
    allowMmap: c.directIoAllowMmap === 'true',
    backingIoctl: c.backingIds === 'ioctl',
    pageCacheData: c.keepCache === 'true',
    /** Which OPEN replies the server may give (index: OpenFlags), under the constants. */
    replies: OpenFlags.values.map((n) => n === 'FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO' ? c.passthroughDirectIo === 'true'
      : n.endsWith('|FOPEN_KEEP_CACHE') ? c.keepCache === 'true'
        : n === 'caching+O_DIRECT' ? c.userODirect === 'true' : true),
    /** Files whose read/write go to the server (fuse_direct_IO / fuse_direct_io), each with the DirectIo step. */
    directIoKinds: [
      ...(c.passthroughDirectIo === 'true' ? [FileKind['FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO'], ...(c.dioWrites > 0 ? [] : [FileKind.FOPEN_DIRECT_IO])] : []),
      ...(c.userODirect === 'true' ? [FileKind['caching+O_DIRECT']] : []),
    ],
  };
}

export type World = ReturnType<typeof worldFor>;
export type Schema = World['schema'];
export type S = View<Schema>;

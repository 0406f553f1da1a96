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
//   makes it exclusive with passthrough), no FOPEN_KEEP_CACHE (the page
//   cache's contents are not kept), no FUSE_DEV_IOC_BACKING_CLOSE (the
//   server's backing ids stay registered).
// - By default (dioWrites=0) no parallel direct-io writes (fuse_dio_lock ->
//   fuse_inode_uncached_io_start(fi, NULL)), so nothing is ever in flight:
//   system calls are atomic steps, release never waits for I/O, and
//   FUSE_I_CACHE_IO_MODE (which only steers those writers) is not kept.
//   dioWrites > 0 adds them at the lock level (dio-state.ts, actions/dio.ts).
// - FOPEN_PASSTHROUGH | FOPEN_DIRECT_IO is not opened: for modes and mmap it
//   behaves as FOPEN_PASSTHROUGH (iomode.c, FOPEN_PASSTHROUGH_MASK comment).
// - fds are collapsed to "this process holds the struct file": dup and fork
//   share one struct file, so several fds of one process count as one.
// - VMA address ranges are not kept; a split gives two pieces, not three.

import { arrayOf, bool, enumOf, indexSet, int, record } from '../../checker/domain.js';
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
};
export type Constants = ConstantValues<typeof constants>;

/** What the server answered in the OPEN reply's open_flags; `caching` has neither bit. */
export const OpenFlags = enumOf('caching', 'FOPEN_DIRECT_IO', 'FOPEN_PASSTHROUGH');

/** A file slot: released (free), or open with the server's open_flags. */
export const FileKind = enumOf('free', 'caching', 'FOPEN_DIRECT_IO', 'FOPEN_PASSTHROUGH');

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
export const RefusedCall = enumOf('none', 'Open(caching)', 'Open(FOPEN_DIRECT_IO)', 'Open(FOPEN_PASSTHROUGH)', 'Mmap(MAP_PRIVATE)', 'Mmap(MAP_SHARED)');
/** What the refused call returned; HANG: it sleeps in wait_event(fi->direct_io_waitq). */
export const Errno = enumOf('none', 'EIO', 'ENODEV', 'ETXTBSY', 'HANG');
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
  const schema = record((c.dioWrites > 0 ? { ...baseFields, ...noOpenField, ...dio.fields } : { ...baseFields, ...noOpenField }) as typeof baseFields & typeof dio.fields & { noOpen: typeof bool });
  return {
    c, Files, Vmas, Procs, schema, counterRange,
    Writers: dio.Writers, nw: c.dioWrites, dio: c.dioWrites > 0,
    parallelDirectWrites: c.parallelDirectWrites === 'true',
    passthroughGranted: c.passthroughInit === 'granted' && c.serverOpen === 'implemented',
    noOpen: c.serverOpen === 'ENOSYS',
    nf: c.files, nv: c.vmas, np: c.procs,
    allowMmap: c.directIoAllowMmap === 'true',
  };
}

export type World = ReturnType<typeof worldFor>;
export type Schema = World['schema'];
export type S = View<Schema>;

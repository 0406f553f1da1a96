// Parallel direct-io writes in flight, and a caching open that waits for them
// (constant dioWrites > 0). What the kernel keeps, fs/fuse/file.c fuse_dio_lock
// / fuse_dio_unlock and fs/fuse/iomode.c fuse_file_cached_io_open (v6.12, the
// same as torvalds/linux a23e1966 plus commit 2f3d8ff45798):
// - each write of a FOPEN_DIRECT_IO file holds the inode lock, shared or
//   exclusive (fuse_dio_wr_exclusive_lock decides), and a shared-lock write
//   also holds one uncached reference on fi->iocachectr for as long as it is
//   in flight (fuse_inode_uncached_io_start(fi, NULL) .. _end);
// - FUSE_I_CACHE_IO_MODE, a bit of fi->state: set when the counter goes 0 -> 1
//   and by a caching open before it sleeps, cleared when the counter goes
//   1 -> 0 and by a waiter that finds a fuse_backing after its wait;
// - a caching open that sleeps in wait_event(fi->direct_io_waitq) until the
//   counter is back at 0 (wake_up in fuse_inode_uncached_io_end).
//
// Each write is a thread of a process that holds the struct file; the inode
// lock is an rwsem that queues new readers behind a waiting writer (the
// writer-preferring reading of kernel/locking/rwsem.c; reader lock stealing is
// left out). A write within EOF: the past-EOF check (fuse_io_past_eof) only
// ever forces the exclusive lock, which a FOPEN_DIRECT_IO file without
// FOPEN_PARALLEL_DIRECT_WRITES shows already (constant parallelDirectWrites).
// O_APPEND likewise.
//
// At dioWrites=0 (the default) none of these slots exist in the schema, so the
// default state counts and verdicts are those of the model without them.

import { arrayOf, bool, enumOf, indexSet, record, type IndexSet } from '../../checker/domain.js';

/**
 * Where a write is in fuse_direct_write_iter:
 * - waitShared / waitExclusive: asked for the inode lock and sleeps on the rwsem;
 * - lockedShared: holds the shared lock, has not yet run fuse_inode_uncached_io_start;
 * - sharedInFlight: the FUSE_WRITE is at the server, with an uncached reference;
 * - exclusiveInFlight: the FUSE_WRITE is at the server, under the exclusive lock.
 */
export const DioPhase = enumOf('idle', 'waitShared', 'lockedShared', 'sharedInFlight', 'waitExclusive', 'exclusiveInFlight');

/** A caching open inside fuse_file_cached_io_open's loop: asleep, or woken by wake_up and not yet run. */
export const WaitPhase = enumOf('none', 'sleeping', 'woken');

/**
 * GHOST: the first WARN_ON of fs/fuse/iomode.c a step hit (they are the
 * kernel's own assertions on ff->iomode and the counter).
 */
export const WarnOn = enumOf(
  'none',
  'uncached_io_start: ff->iomode != IOM_NONE',
  'uncached_io_end: ff->iomode != IOM_UNCACHED',
);

/** The uncached references in-flight shared-lock writes hold on fi->iocachectr (0 without dio slots). */
export function sharedWriteRefs(nw: number, dio: ArrayLike<{ readonly phase: number }> | undefined): number {
  let n = 0;
  for (let i = 0; i < nw; i++) if (dio![i]!.phase === DioPhase.sharedInFlight) n++;
  return n;
}

export function dioFields(n: number, Files: IndexSet, Procs: IndexSet) {
  const Writers = indexSet('w', Math.max(1, n));
  return {
    Writers,
    fields: {
      /** The writes of FOPEN_DIRECT_IO files, one slot per write a thread has started (a new write takes the lowest idle slot). */
      dio: arrayOf(Writers, record({ phase: DioPhase, file: Files, proc: Procs })),
      /** FUSE_I_CACHE_IO_MODE in fi->state. */
      cacheIoMode: bool,
      /** The caching open of process `proc` waiting in fuse_file_cached_io_open (one at a time: a bound of the model). */
      waiter: record({ phase: WaitPhase, proc: Procs }),
      warned: WarnOn,
    },
  };
}

// What the three designs disagree on: how a page-cache mmap of a
// FOPEN_DIRECT_IO file is accounted on fi->iocachectr, what fuse_vma_close
// does about it, and so what the counter ought to hold. Everything else (open,
// release, fork, splits, the passthrough mmap) is the kernel's and shared.

import type { DesignInfo } from '../../checker/model.js';
import type { S, World } from './state.js';

export interface CacheMmapPolicy {
  /**
   * Whether this page-cache mmap of a FOPEN_DIRECT_IO file must first put the
   * inode in caching mode, and so can wait or be refused as a caching open is.
   */
  readonly entersCachingMode: (shared: boolean) => boolean;
  /** The accounting once that mmap is allowed. */
  readonly onCacheMmap: (s: S, f: number) => void;
  /** fuse_vma_close on a page-cache VMA, run before the VMA goes. */
  readonly onVmaClose: (s: S, v: number) => void;
  /**
   * The reference an open FOPEN_DIRECT_IO file should hold, judged from the
   * ghost `everMapped` only (never from iomode or the counter, or
   * ModeCounterConsistent would check the bookkeeping against itself).
   */
  readonly directIoFileHoldsRef: (everMapped: number) => boolean;
  /** Whether each live MAP_SHARED page-cache VMA of a FOPEN_DIRECT_IO file should hold one reference. */
  readonly refPerSharedMapping: boolean;
}

/**
 * How a design's parallel direct-io writes use the inode lock and the counter
 * (only at dioWrites > 0; absent: v6.12, fs/fuse/file.c fuse_dio_lock after
 * commit 2f3d8ff45798). See designs/dio-*.ts.
 */
export interface DioPolicy {
  /** fuse_dio_wr_exclusive_lock: FUSE_I_CACHE_IO_MODE asks for the exclusive lock (true since 2f3d8ff45798). */
  readonly cacheIoModeForcesExclusive: boolean;
  /**
   * v6.9-rc1: the write takes the per-file helpers, fuse_file_uncached_io_start(inode, ff, NULL) /
   * fuse_file_uncached_io_end, which set ff->iomode and refuse (-EBUSY) any attached fuse_backing.
   */
  readonly perFileIomode: boolean;
}

/** A design of the passthrough model: its policy, and a state constraint if its counter runs away. */
export interface PassthroughDesign extends DesignInfo {
  readonly policy: CacheMmapPolicy;
  readonly dio?: DioPolicy;
  /** States outside it are kept but not explored. */
  readonly constraint?: (w: World) => (s: S) => boolean;
}

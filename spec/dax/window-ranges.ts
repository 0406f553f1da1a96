// virtiofs: the DAX window as the constants set it up (fs/fuse/dax.c; the
// copy read is torvalds/linux at 0dc6a06c4843, a 6.0-6.5 tree, whose range
// code is that of 5.17 and, as far as read, of 6.12). The window is cut into
// ranges of FUSE_DAX_SZ (1 << FUSE_DAX_SHIFT = 2 MiB, fuse_dax_mem_range_init),
// and a file is mapped into it chunk by chunk: chunk i is the file's bytes
// [i << 21, (i + 1) << 21), a fuse_dax_mapping in the inode's interval tree
// (fuse_setup_one_mapping: itn.start = itn.last = pos >> FUSE_DAX_SHIFT).

import type { Constants } from './constants.js';

type WindowConstants = Partial<Pick<Constants, 'windowRanges' | 'setupMapping' | 'fileChunks'>>;

/** How many ranges the window has: `enough` never runs out. */
export function rangesIn(c: WindowConstants): number {
  switch (c.windowRanges) {
    case 'one': return 1;
    case 'two': return 2;
    default: return Infinity;
  }
}

/**
 * Whether the state follows which chunk of which file holds a range: with a
 * window that can run out, files of two chunks (whose second chunk's
 * accesses are steps only through their range), or a server that may refuse
 * FUSE_SETUPMAPPING (the fault then needs to know whether it asks the server at all).
 * Otherwise the variable is not in the state, so the default runs, their
 * state counts and their traces are what they were.
 */
export function tracksRanges(c: WindowConstants): boolean {
  return rangesIn(c) !== Infinity || c.setupMapping === 'may-fail' || c.fileChunks === 'two';
}

/** Chunks a file over the server's size threshold spans (fileChunks=two: it is over 2 MiB too). Smaller files have one. */
export function chunksOfBigFile(c: WindowConstants): number {
  return c.fileChunks === 'two' ? 2 : 1;
}

/** FUSE_DAX_RECLAIM_THRESHOLD: the worker is queued while fewer than max(20 % of the ranges, 1) are free (__kick_dmap_free_worker). */
export function freeRangeThreshold(ranges: number): number {
  return ranges === Infinity ? 0 : Math.max(Math.floor((ranges * 20) / 100), 1);
}

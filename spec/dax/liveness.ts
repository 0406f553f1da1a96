// "The new mode eventually takes effect", as a liveness property: once a
// file's inode was instantiated with an S_DAX its flag (virtiofs: the
// server's FUSE_ATTR_DAX) no longer asks for, and nobody keeps the file open
// or mapped, the inode eventually has the S_DAX the flag asks for, or is
// gone, so that the next instantiation reads the flag again.
//
//   ∀ f ∈ Files: StaleAndUnused(f) ~> ModeTakesEffect(f)
//
// Fairness, as the kernel guarantees it and no more. Closes and munmaps are
// not assumed (a process may keep a file forever; then the trigger does not
// hold). Eviction of a marked or expired inode at its last reference is
// part of that close or munmap (iput_final, fs/inode.c; retain_dentry,
// fs/dcache.c), and a lookup on reopen is part of the open's path walk, so
// neither is a step of its own to be fair about. What is left is the entry
// timeout wherever it can pass: time passes, so WF_vars(Timeout(f)) for each
// file (fuse_dentry_time, fs/fuse/dir.c). That is cache=auto, and
// cache=always with alwaysTimeout=expires: the kernel's timeout is always
// finite (time_to_jiffies; spec/dax/fuse-timeout.ts), virtiofsd's is one day.
// With alwaysTimeout=beyond-run the day does not pass, so "eventually" there
// means "within the run". Reclaim (DropCaches: memory pressure, drop_caches)
// is not guaranteed to happen, so it is not fair.

import { leadsTo, weakFairness, type LivenessProperty } from '../../checker/model.js';
import type { Ctx } from './context.js';
import { timeoutPasses } from './fuse-timeout.js';
import { referenced } from './inode.js';
import { InCore, type S, type Schema } from './state.js';
import { freeRanges } from './actions/dax-window.js';
import { rangesIn } from './window-ranges.js';

/**
 * virtiofs with a window that can run out (windowRanges=one|two): once no
 * range is free, one eventually is, which is what every fault sleeping in
 * wait_event(range_waitq, nr_free_ranges > 0) and every read or write in
 * wait_event_killable_exclusive waits for (fs/fuse/dax.c __fuse_dax_fault,
 * alloc_dax_mapping_reclaim). Nobody is assumed to close, unmap or exit, so
 * only the free-range worker can free a range: it is a delayed work item,
 * queued while fewer than max(20 %, 1) ranges are free and requeued by itself
 * while that lasts (__kick_dmap_free_worker, fuse_dax_free_mem_worker), and a
 * workqueue runs what is queued, so WF_vars(RangeReclaim). This promises the
 * wake-up, not the range to a given waiter: wait_event is not exclusive and
 * the woken fault retries its allocation against everyone else's, so one
 * waiter can lose every time (no fairness among waiters is claimed).
 */
function windowLiveness(ctx: Ctx): Record<string, LivenessProperty<Schema>> {
  if (ctx.flavour.fs !== 'virtiofs' || rangesIn(ctx.c) === Infinity) return {};
  return {
    WindowRangeFreed: {
      kind: 'liveness',
      doc: 'once every range of the DAX window is taken, one is eventually free again (what a DAX access waiting for a range waits for)',
      source: 'fs/fuse/dax.c __fuse_dax_fault (wait_event range_waitq), alloc_dax_mapping_reclaim, __kick_dmap_free_worker, fuse_dax_free_mem_worker',
      formula: leadsTo((s: S) => freeRanges(ctx, s) === 0, (s: S) => freeRanges(ctx, s) > 0),
      trigger: 'WindowExhausted',
      fairness: [weakFairness('RangeReclaim')],
    },
  };
}

export function liveness(ctx: Ctx): Record<string, LivenessProperty<Schema>> {
  const desired = (s: S, f: number) => (ctx.flavour.desiredDax(s, f) ? 1 : 0);
  const staleAndUnused = (s: S, f: number) => s.inode[f] !== InCore.never && s.sDax[f] !== desired(s, f) && !referenced(s, f, ctx.P);
  const modeTakesEffect = (s: S, f: number) => s.inode[f] !== InCore.cached || s.sDax[f] === desired(s, f);
  const timeoutIsFair = ctx.flavour.fs === 'virtiofs' && timeoutPasses(ctx.c);
  return {
    ModeConverges: {
      kind: 'liveness',
      doc: 'once a file\'s flag asks for another S_DAX and nobody has it open or mapped, its inode eventually has that S_DAX or is evicted (the next instantiation reads the flag)',
      source: 'Jeffle Xu, seed 002, 2021-10-20 (with cache=always the client never asks the server again, so the new mode may never take effect); '
        + 'Documentation/filesystems/dax.rst "Summary" item 6; v6 cover [Note], seed 002',
      formula: leadsTo(staleAndUnused, modeTakesEffect),
      forEach: ctx.Files,
      trigger: 'StaleAndUnused',
      fairness: timeoutIsFair ? [weakFairness('Timeout', { perInstance: true })] : [],
    },
    ...windowLiveness(ctx),
  };
}


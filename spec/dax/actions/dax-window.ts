// virtiofs: the DAX window's ranges (fs/fuse/dax.c, 6.12). The window is cut
// into 2 MiB ranges (FUSE_DAX_SZ, fuse_dax_mem_range_init); a DAX access to a
// chunk of a file with no range takes a free one and asks the server to map
// the host file there (fuse_setup_new_dax_mapping -> FUSE_SETUPMAPPING), and
// the range stays the file's until the free-range worker or eviction gives it
// back. With `windowRanges=enough` (the default) a range is always free, as
// the model always assumed. With `one` every file shares a single range:
//
// - A fault with no free range does no reclaim of its own ("Can't do inline
//   reclaim in fault path", fuse_setup_new_dax_mapping): iomap_begin returns
//   -EAGAIN and __fuse_dax_fault drops the invalidate lock and waits in
//   wait_event (uninterruptible) until nr_free_ranges > 0, then retries. In
//   the model the fault is not enabled until a range is free.
// - read(2)/write(2) through dax_iomap_rw (alloc_dax_mapping_reclaim) first
//   reclaim one of the file's own ranges inline; a file with none waits
//   killably (wait_event_killable_exclusive, -EINTR on a fatal signal). A
//   file-extending write is FUSE_WRITE (fuse_dax_direct_write) and a read at
//   or past i_size a hole: neither needs a range.
// - Every allocation kicks the worker while fewer than max(20 % of the
//   ranges, 1) are free (__kick_dmap_free_worker), so with one range it runs
//   whenever the range is busy: fuse_dax_free_mem_worker ->
//   try_to_free_dmap_chunks skips a range in use by an iomap operation
//   (refcount > 1) or whose inode igrab cannot take (being evicted, which frees
//   it anyway), and lookup_and_reclaim_dmap takes the invalidate lock, breaks
//   the layouts (dax_layout_busy_page_range unmaps every user mapping of the
//   range and waits for pinned pages), writes back and invalidates the 2 MiB
//   (dmap_writeback_invalidate: the DAX entries go), sends FUSE_REMOVEMAPPING
//   and puts the range on the free list (wake_up range_waitq).
// - Eviction gives every range of the inode back (fuse_evict_inode ->
//   fuse_dax_inode_cleanup -> inode_reclaim_dmap_range).
//
// The range a file holds is read off its DAX entries (daxEntries): on virtiofs
// a DAX fault is the only thing that puts them there, and the worker's
// invalidation and eviction the only things that take them out, exactly when
// a range goes. A range a read or write took is given back in the same step:
// the worker, kicked by that allocation, reclaims it as soon as the iomap
// operation ends, and nothing in the model can see it in between.

import type { ActionDef } from '../../../checker/model.js';
import { action, fName, type Ctx } from '../context.js';
import { InCore, Pte, Size, type S, type Schema } from '../state.js';

/** Files holding the window's one range (the count of busy ranges). */
function busyRanges(s: S, F: number): number {
  let n = 0;
  for (let f = 0; f < F; f++) if (s.daxEntries[f] === 1) n++;
  return n;
}

const ONE_RANGE = 1;

/** The access of `f` needs a range it does not have, and none is free. */
const waitsForRange = (s: S, f: number, F: number) => s.daxEntries[f] === 0 && busyRanges(s, F) >= ONE_RANGE;

function waitingFor(a: ActionDef<Schema, any>, needs: (s: S, prm: any) => boolean, why: string): ActionDef<Schema, any> {
  const guard = a.guard;
  return {
    ...a,
    guard: (s, prm) => (guard ? guard(s, prm) : true) && !needs(s, prm),
    guardDoc: `${a.guardDoc ?? 'always'}; ${why}`,
  };
}

/** The free-range worker reclaims the range `f` holds (lookup_and_reclaim_dmap). */
export function rangeReclaim(ctx: Ctx) {
  return action({
    params: { f: ctx.Files },
    guard: (s, { f }) => s.daxEntries[f] === 1 && s.inode[f] === InCore.cached,
    guardDoc: 'the file holds the range and igrab can take its inode (fewer than max(20 %, 1) ranges are free)',
    effect: (s, { f }) => {
      // fuse_dax_break_layouts -> dax_layout_busy_page_range: every DAX PTE of the range goes.
      for (let p = 0; p < ctx.P; p++) {
        const pte = s.pte[p]![f];
        if (pte === Pte['dax-ro'] || pte === Pte['dax-rw']) s.pte[p]![f] = Pte.none;
      }
      s.daxEntries[f] = 0;
    },
    label: ({ f }) => `RangeReclaim ${fName(f)} → FUSE_REMOVEMAPPING, DAX PTEs unmapped`,
    source: 'fs/fuse/dax.c fuse_dax_free_mem_worker -> try_to_free_dmap_chunks -> lookup_and_reclaim_dmap -> fuse_dax_break_layouts, dmap_writeback_invalidate, dmap_removemapping_one',
  });
}

/** With a one-range window: DAX accesses wait for the range, and the worker is a step. Otherwise the actions as they are. */
export function withDaxWindow(ctx: Ctx, actions: Record<string, ActionDef<Schema, any>>): Record<string, ActionDef<Schema, any>> {
  if (ctx.flavour.fs !== 'virtiofs' || ctx.c.windowRanges === 'enough') return actions;
  const F = ctx.F;
  const out: Record<string, ActionDef<Schema, any>> = { ...actions };
  const fault = out.PageFault;
  if (fault) {
    out.PageFault = waitingFor(fault, (s, { f }) => s.sDax[f] === 1 && waitsForRange(s, f, F),
      'a DAX fault with no free range waits (-EAGAIN from fuse_setup_new_dax_mapping; __fuse_dax_fault: wait_event for nr_free_ranges > 0)');
  }
  const read = out.Read;
  if (read) {
    out.Read = waitingFor(read, (s, { f }) => s.sDax[f] === 1 && s.size[f] !== Size.empty && waitsForRange(s, f, F),
      'a DAX read of a file with no range, none free, waits (alloc_dax_mapping_reclaim: wait_event_killable_exclusive)');
  }
  const write = out.Write;
  if (write) {
    out.Write = waitingFor(write, (s, { f, extend }) => s.sDax[f] === 1 && !extend && s.size[f] !== Size.empty && waitsForRange(s, f, F),
      'a DAX write inside i_size of a file with no range, none free, waits (alloc_dax_mapping_reclaim); an extending one is FUSE_WRITE');
  }
  return { ...out, RangeReclaim: rangeReclaim(ctx) };
}

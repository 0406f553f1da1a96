// virtiofs: the DAX window's ranges (fs/fuse/dax.c; read in torvalds/linux
// at 0dc6a06c4843, a 6.0-6.5 tree: the range code is that of 5.17, and of
// 6.12 as far as read, where only the fault's page-size argument changed).
// The window is cut into 2 MiB ranges (FUSE_DAX_SZ, fuse_dax_mem_range_init);
// a DAX access to a chunk of a file that has no range for it takes a free one
// and asks the server to map the host file there (fuse_iomap_begin ->
// fuse_setup_new_dax_mapping -> fuse_setup_one_mapping, FUSE_SETUPMAPPING),
// and the range stays the chunk's, in the inode's interval tree, until the
// free-range worker, an inline reclaim or eviction gives it back. With
// `windowRanges=enough` and `setupMapping=succeeds` (the defaults) none of
// this is followed: a range is always there, as the model always assumed.
// Otherwise (spec/dax/window-ranges.ts) the state has daxRange[f][chunk]:
//
// - A fault with no range and none free does no reclaim of its own ("Can't do
//   inline reclaim in fault path", fuse_setup_new_dax_mapping: alloc_dax_mapping
//   only): iomap_begin returns -EAGAIN and __fuse_dax_fault drops the
//   invalidate lock and waits in wait_event (uninterruptible) until
//   nr_free_ranges > 0, then retries. In the model the fault is not enabled
//   until a range is free, even while the file holds a range for another chunk.
// - read(2)/write(2) through dax_iomap_rw (alloc_dax_mapping_reclaim) take a
//   free range, or else reclaim one of the file's own ranges inline
//   (inode_inline_reclaim_one_dmap: under the invalidate lock taken exclusive,
//   the first range of the interval tree not in use, its layouts broken,
//   written back and invalidated, FUSE_REMOVEMAPPING, and reused at once
//   without going through the free list); only a file with no range at all
//   waits, killably (wait_event_killable_exclusive, -EINTR on a fatal signal).
//   A file-extending write is FUSE_WRITE (fuse_dax_direct_write) and a read at
//   or past i_size a hole: neither needs a range. The range is kept after the
//   read or write (nothing gives it back but the worker, inline reclaim and
//   eviction).
// - Every allocation kicks the worker while fewer than max(20 % of the ranges,
//   1) are free (__kick_dmap_free_worker), and the worker requeues itself
//   while that holds (fuse_dax_free_mem_worker -> kick_dmap_free_worker), so
//   it is pending exactly while the window is below the threshold: with one or
//   two ranges, while none is free. try_to_free_dmap_chunks takes the busy
//   ranges in order, skips one in use by an iomap operation (refcount > 1) or
//   whose inode igrab cannot take (being evicted, which frees it anyway), and
//   lookup_and_reclaim_dmap takes the invalidate lock, breaks the layouts
//   (dax_layout_busy_page_range unmaps every user mapping of the range and
//   waits for pinned pages), writes back and invalidates the 2 MiB
//   (dmap_writeback_invalidate: the DAX entries go), sends FUSE_REMOVEMAPPING
//   (an error is only a warning: the range is freed anyway,
//   reclaim_one_dmap_locked) and puts the range on the free list (wake_up
//   range_waitq). The model's RangeReclaim frees one range per step.
// - Eviction gives every range of the inode back (fuse_evict_inode ->
//   fuse_dax_inode_cleanup -> inode_reclaim_dmap_range), whatever evicted it.
// - With `fileChunks=two` a big file has a second chunk, whose data and PTEs
//   the model does not follow (one page per file): ChunkFault and ChunkIo are
//   the accesses to it that need a range, and what they do to the first
//   chunk's range (an inline reclaim unmaps the first chunk) is followed.
// - With `setupMapping=may-fail` the server may answer FUSE_SETUPMAPPING
//   with an error: fuse_setup_new_dax_mapping gives the range back
//   (dmap_add_to_free_pool) and returns the error; dax_iomap_fault turns it
//   into vmf_error (dax_fault_return, fs/dax.c): VM_FAULT_SIGBUS for any error
//   but -ENOMEM (VM_FAULT_OOM), and __fuse_dax_fault retries only -EAGAIN. The
//   process takes SIGBUS, whose default action kills it (FaultSigbus, the
//   effect of Exit). A read or write gets the -errno back and nothing changes
//   (from the free list) or the file has lost the range inline reclaim took
//   (left out).
//
// Every fault, read, write and worker step here is one step, as every
// virtiofs design is cut (S_DAX changes only at iget): no iomap operation is
// ever in progress across a step, so the refcount > 1 checks (the worker's
// and inline reclaim's "still in use", and inline reclaim's retry) never fire.

import type { ActionDef } from '../../../checker/model.js';
import { bool, indexSet } from '../../../checker/domain.js';
import { action, fName, pName, type Ctx } from '../context.js';
import { chunksOfBigFile, freeRangeThreshold, rangesIn, tracksRanges } from '../window-ranges.js';
import { Fd, InCore, Pte, Size, Vma, type S, type Schema } from '../state.js';
import { exit } from './files.js';

type Actions = Record<string, ActionDef<Schema, any>>;

const FIRST = 0;
const SECOND = 1;

/** daxRange[f][chunk]; only in a state that follows the window (state.ts adds it then). */
function rangesOf(s: S): ReadonlyArray<Int32Array> {
  const r = (s as { daxRange?: ReadonlyArray<Int32Array> }).daxRange;
  if (!r) throw new Error('dax-window: the state does not follow the window\'s ranges (tracksRanges is false)');
  return r;
}

/** Ranges taken by any chunk of any file. */
export function rangesHeld(s: S, F: number): number {
  const r = rangesOf(s);
  let n = 0;
  for (let f = 0; f < F; f++) for (const held of r[f]!) n += held;
  return n;
}

/** nr_free_ranges: Infinity for a window with enough. */
export function freeRanges(ctx: Ctx, s: S): number {
  return rangesIn(ctx.c) - rangesHeld(s, ctx.F);
}

const holds = (s: S, f: number, chunk: number) => rangesOf(s)[f]![chunk] === 1;
const chunksOf = (ctx: Ctx, s: S, f: number) => (s.size[f] === Size.big ? chunksOfBigFile(ctx.c) : 1);

/** The layouts broken and the 2 MiB invalidated: the DAX PTEs and entries of the first chunk go (the second's are not followed). */
function giveBack(s: S, f: number, chunk: number, P: number): void {
  if (chunk === FIRST) {
    for (let p = 0; p < P; p++) {
      const pte = s.pte[p]![f];
      if (pte === Pte['dax-ro'] || pte === Pte['dax-rw']) s.pte[p]![f] = Pte.none;
    }
    s.daxEntries[f] = 0;
  }
  rangesOf(s)[f]![chunk] = 0;
}

/**
 * What a read or write of `chunk` does for a range when it has none:
 * 'free' takes one from the free list, 'inline' reclaims the file's other
 * chunk's, 'waits' sleeps on range_waitq (alloc_dax_mapping_reclaim).
 */
function rangeForIo(ctx: Ctx, s: S, f: number, chunk: number): 'held' | 'free' | 'inline' | 'waits' {
  if (holds(s, f, chunk)) return 'held';
  if (freeRanges(ctx, s) > 0) return 'free';
  for (let other = 0; other < chunksOf(ctx, s, f); other++) if (other !== chunk && holds(s, f, other)) return 'inline';
  return 'waits';
}

function takeForIo(ctx: Ctx, s: S, f: number, chunk: number): void {
  const how = rangeForIo(ctx, s, f, chunk);
  if (how === 'held' || how === 'waits') return;
  if (how === 'inline') {
    // inode_lookup_first_dmap: the lowest chunk of the tree not in use; with two chunks, the other one.
    giveBack(s, f, chunk === FIRST ? SECOND : FIRST, ctx.P);
  }
  rangesOf(s)[f]![chunk] = 1;
}

/** The access needs a range it cannot have now: it is not a step until one is free. */
function waitingFor(a: ActionDef<Schema, any>, waits: (s: S, prm: any) => boolean, why: string): ActionDef<Schema, any> {
  const guard = a.guard;
  return {
    ...a,
    guard: (s, prm) => (guard ? guard(s, prm) : true) && !waits(s, prm),
    guardDoc: `${a.guardDoc ?? 'always'}; ${why}`,
  };
}

/** The label says when the step asked the server for a mapping, and whose range inline reclaim took for it. */
function sayingWhatItMapped(a: ActionDef<Schema, any>, ctx: Ctx): ActionDef<Schema, any> {
  const label = a.label;
  return {
    ...a,
    label: (prm, before, after) => {
      const base = label ? label(prm, before, after) : '';
      const f = prm.f as number;
      const took = rangesOf(after)[f]![FIRST] === 1 && rangesOf(before)[f]![FIRST] === 0;
      if (!took) return base;
      const lost = chunksOfBigFile(ctx.c) === 2 && rangesOf(before)[f]![SECOND] === 1 && rangesOf(after)[f]![SECOND] === 0;
      return `${base} → ${lost ? 'inline reclaim of chunk2 (FUSE_REMOVEMAPPING), ' : ''}FUSE_SETUPMAPPING`;
    },
  };
}

/** The range a read or write takes, after its own effect (which changes neither S_DAX nor any range, and the size only when it extends). */
function thenAlso(a: ActionDef<Schema, any>, after: (s: S, prm: any) => void): ActionDef<Schema, any> {
  const effect = a.effect;
  return { ...a, effect: (s, prm) => { effect(s, prm); after(s, prm); } };
}

/** The worker frees the range of `chunk` of `f` (lookup_and_reclaim_dmap). */
export function rangeReclaim(ctx: Ctx) {
  const threshold = freeRangeThreshold(rangesIn(ctx.c));
  const guard = (s: S, f: number, chunk: number) => freeRanges(ctx, s) < threshold && holds(s, f, chunk) && s.inode[f] === InCore.cached;
  const guardDoc = `fewer than max(20 %, 1) = ${threshold} ranges are free (the worker is queued), the chunk holds a range and igrab can take its inode`;
  const source = 'fs/fuse/dax.c fuse_dax_free_mem_worker -> try_to_free_dmap_chunks -> lookup_and_reclaim_dmap -> fuse_dax_break_layouts, dmap_writeback_invalidate, dmap_removemapping_one';
  const what = 'FUSE_REMOVEMAPPING, DAX PTEs unmapped';
  if (chunksOfBigFile(ctx.c) === 1) {
    return action({
      params: { f: ctx.Files },
      guard: (s, { f }) => guard(s, f, FIRST),
      guardDoc,
      effect: (s, { f }) => giveBack(s, f, FIRST, ctx.P),
      label: ({ f }) => `RangeReclaim ${fName(f)} → ${what}`,
      source,
    });
  }
  return action({
    params: { f: ctx.Files, chunk: indexSet('chunk', chunksOfBigFile(ctx.c)) },
    guard: (s, { f, chunk }) => guard(s, f, chunk),
    guardDoc,
    effect: (s, { f, chunk }) => giveBack(s, f, chunk, ctx.P),
    label: ({ f, chunk }) => `RangeReclaim ${fName(f)} chunk${chunk + 1} → ${chunk === FIRST ? what : 'FUSE_REMOVEMAPPING'}`,
    source,
  });
}

/**
 * fileChunks=two: a DAX fault on the second chunk of a big file through a DAX
 * VMA (the VMA covers the whole file). Only its range is followed: with one
 * it changes nothing the model keeps, so it is a step only while it has none,
 * and with none free it waits, as every fault does, whatever else the file holds.
 */
export function chunkFault(ctx: Ctx) {
  return action({
    params: { p: ctx.Procs, f: ctx.Files },
    actor: 'p',
    guard: (s, { p, f }) => s.vma[p]![f] === Vma.dax && chunksOf(ctx, s, f) === 2 && !holds(s, f, SECOND) && freeRanges(ctx, s) > 0,
    guardDoc: 'a DAX VMA of a file of two chunks whose second chunk has no range, and a range is free (else wait_event in __fuse_dax_fault: no inline reclaim in the fault path)',
    effect: (s, { f }) => { rangesOf(s)[f]![SECOND] = 1; },
    label: ({ p, f }) => `PageFault(chunk2) ${pName(p)} ${fName(f)} → FUSE_SETUPMAPPING`,
    source: 'fs/fuse/dax.c __fuse_dax_fault -> dax_iomap_fault -> fuse_iomap_begin -> fuse_setup_new_dax_mapping (IOMAP_FAULT: alloc_dax_mapping only)',
  });
}

/**
 * fileChunks=two: read(2) or write(2) inside i_size on the second chunk
 * (the data is not followed, so the two are one step). Without a range it
 * takes a free one or reclaims the file's first chunk's inline.
 */
export function chunkIo(ctx: Ctx) {
  return action({
    params: { p: ctx.Procs, f: ctx.Files },
    actor: 'p',
    guard: (s, { p, f }) => s.fd[p]![f] !== Fd.closed && s.sDax[f] === 1 && chunksOf(ctx, s, f) === 2
      && !holds(s, f, SECOND) && rangeForIo(ctx, s, f, SECOND) !== 'waits',
    guardDoc: 'the file is open, S_DAX, of two chunks, its second chunk has no range, and a range is free or the first chunk holds one (else wait_event_killable_exclusive)',
    effect: (s, { f }) => takeForIo(ctx, s, f, SECOND),
    label: ({ p, f }, before) => `Read/Write(chunk2) ${pName(p)} ${fName(f)} → `
      + (freeRanges(ctx, before) > 0 ? 'FUSE_SETUPMAPPING' : 'inline reclaim of chunk1 (its DAX PTEs unmapped, FUSE_REMOVEMAPPING), FUSE_SETUPMAPPING'),
    source: 'fs/fuse/dax.c fuse_dax_read_iter / fuse_dax_write_iter -> dax_iomap_rw -> fuse_iomap_begin -> fuse_setup_new_dax_mapping -> alloc_dax_mapping_reclaim -> inode_inline_reclaim_one_dmap',
  });
}

/**
 * setupMapping=may-fail: a DAX fault of the first chunk that has taken a free
 * range, whose FUSE_SETUPMAPPING the server refuses: SIGBUS, and the process
 * dies of it (the range went back to the free list).
 */
export function faultSigbus(ctx: Ctx, fault: ActionDef<Schema, any>) {
  const dies = exit(ctx);
  return action({
    params: { p: ctx.Procs, f: ctx.Files, write: bool },
    actor: 'p',
    guard: (s, prm) => (fault.guard ? fault.guard(s, prm) : true) && s.sDax[prm.f] === 1 && !holds(s, prm.f, FIRST) && freeRanges(ctx, s) > 0,
    guardDoc: 'a DAX fault the model could take, on a first chunk with no range, a range free; the server answers FUSE_SETUPMAPPING with an error',
    effect: (s, { p }) => dies.effect(s, { p }),
    label: ({ p, f, write }) => `PageFault(${write ? 'write' : 'read'}) ${pName(p)} ${fName(f)} → FUSE_SETUPMAPPING refused → SIGBUS, ${pName(p)} killed`,
    source: 'fs/fuse/dax.c fuse_setup_new_dax_mapping (fuse_setup_one_mapping < 0: dmap_add_to_free_pool, return the error); '
      + 'fs/dax.c dax_iomap_pte_fault -> dax_fault_return -> vmf_error (VM_FAULT_SIGBUS); __fuse_dax_fault retries -EAGAIN only',
  });
}

/**
 * Where the window is followed: DAX accesses take ranges or wait for one, the
 * worker is a step, the second chunk's accesses and the server's refusal are
 * steps where asked for, and after every step an evicted inode has no range
 * and a chunk with DAX entries has one. Otherwise the actions as they are.
 */
export function withDaxWindow(ctx: Ctx, actions: Actions): Actions {
  if (ctx.flavour.fs !== 'virtiofs' || !tracksRanges(ctx.c)) return actions;
  const out: Actions = { ...actions };
  const dax = (s: S, f: number) => s.sDax[f] === 1;
  const fault = out.PageFault;
  if (fault) {
    out.PageFault = waitingFor(fault, (s, { f }) => dax(s, f) && !holds(s, f, FIRST) && !(freeRanges(ctx, s) > 0),
      'a DAX fault with no range and none free waits (-EAGAIN from fuse_setup_new_dax_mapping; __fuse_dax_fault: wait_event for nr_free_ranges > 0)');
  }
  const read = out.Read;
  if (read) {
    out.Read = thenAlso(
      waitingFor(read, (s, { f }) => dax(s, f) && rangeForIo(ctx, s, f, FIRST) === 'waits',
        'a DAX read of a file with no range, none free, waits (alloc_dax_mapping_reclaim: wait_event_killable_exclusive)'),
      (s, { f }) => { if (dax(s, f)) takeForIo(ctx, s, f, FIRST); });
  }
  const write = out.Write;
  if (write) {
    out.Write = thenAlso(
      waitingFor(write, (s, { f, extend }) => dax(s, f) && !extend && rangeForIo(ctx, s, f, FIRST) === 'waits',
        'a DAX write inside i_size of a file with no range, none free, waits (alloc_dax_mapping_reclaim); an extending one is FUSE_WRITE'),
      (s, { f, extend }) => { if (dax(s, f) && !extend) takeForIo(ctx, s, f, FIRST); });
  }
  for (const k of ['PageFault', 'Read', 'Write']) if (out[k]) out[k] = sayingWhatItMapped(out[k]!, ctx);
  const extra: Actions = {};
  if (rangesIn(ctx.c) !== Infinity) extra.RangeReclaim = rangeReclaim(ctx);
  if (chunksOfBigFile(ctx.c) === 2) { extra.ChunkFault = chunkFault(ctx); extra.ChunkIo = chunkIo(ctx); }
  if (ctx.c.setupMapping === 'may-fail' && out.PageFault) extra.FaultSigbus = faultSigbus(ctx, out.PageFault);
  const all: Actions = { ...out, ...extra };
  for (const [k, a] of Object.entries(all)) all[k] = keepsRangesTrue(a, ctx);
  return all;
}

/**
 * fuse_dax_inode_cleanup at every eviction (close, munmap, exit, reclaim),
 * and the first chunk's range under its DAX entries (a DAX fault put them
 * there, after taking the range).
 */
function keepsRangesTrue(a: ActionDef<Schema, any>, ctx: Ctx): ActionDef<Schema, any> {
  const effect = a.effect;
  return {
    ...a,
    effect: (s, prm) => {
      effect(s, prm);
      const r = rangesOf(s);
      for (let f = 0; f < ctx.F; f++) {
        const ranges = r[f]!;
        if (s.inode[f] !== InCore.cached) ranges.fill(0);
        else if (s.daxEntries[f] === 1) ranges[FIRST] = 1;
      }
    },
  };
}

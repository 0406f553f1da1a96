// FS_IOC_FSSETXATTR / FS_IOC_SETFLAGS changing FS_XFLAG_DAX through an open
// file. What the kernel does with S_DAX at that moment is exactly what the
// designs disagree about, so the action takes a rule.

import { bool } from '../../../checker/domain.js';
import { action, fName, pName, type Ctx } from '../context.js';
import { flushAndInvalidate, isMapped } from '../inode.js';
import { ioctlHolds } from '../locks.js';
import { mountModeOf } from '../mount.js';
import { mountInEffect } from '../exclusions.js';
import { Fd, ModeChange, Size, Vma, type S } from '../state.js';

export interface SetFlagRule {
  /** The request fails (-EBUSY, -EINVAL): nothing changes, so it is not a step. */
  readonly refuses?: (s: S, p: number, f: number, v: number) => boolean;
  /** What a successful request does; the flag itself is already written. */
  readonly then: (s: S, p: number, f: number, v: number) => void;
  /** When the request fails, in the kernel's words. */
  readonly refusal?: string;
  /** virtiofs: the request is FUSE_IOCTL to the server. */
  readonly forwarded?: boolean;
  /** `then` may change S_DAX of the live inode (the flip designs). */
  readonly flipsLive?: boolean;
  /** Which requests are steps, where not only those that change the flag (xfs v4.13 compared the request with IS_DAX). */
  readonly isAStep?: (s: S, f: number, v: number) => boolean;
  /** The request fails after the code has already changed something (xfs v5.10: d_mark_dontcache, then -EINVAL). */
  readonly failsPartWay?: PartWayFailure;
}

/**
 * A request that returns an error after part of its work is done: the flag is
 * not written, `done` is what ran before the error. It is a step only where
 * `done` changes the state; elsewhere it is a refusal like any other.
 */
export interface PartWayFailure {
  readonly fails: (s: S, p: number, f: number, v: number) => boolean;
  readonly done: (s: S, p: number, f: number, v: number) => void;
  /** Whether `done` would change the state from s. */
  readonly changes: (s: S, p: number, f: number, v: number) => boolean;
  /** The error, in the kernel's words (the label says it). */
  readonly error: string;
  /**
   * The failure is the caller's choice: a request that also carries another
   * attribute, given as SetFlag's boolean parameter `param` (the request fails
   * only where it is true).
   */
  readonly chosenBy?: string;
}

const SETFLAG_SOURCE = 'fs/ioctl.c ioctl_fssetxattr -> vfs_fileattr_set -> ext4_fileattr_set / xfs_fileattr_set (5.13+); '
  + 'earlier ext4_ioctl_setflags / xfs_ioctl_setattr; fs/fuse/ioctl.c fuse_file_ioctl';

/**
 * Only requests that change the flag are steps: one that leaves it as it is
 * changes nothing in any design (xfs v4.13 returned early, ext4_dax_dontcache
 * tests the changed bit, virtiofsd stores the same value).
 *
 * One step: the check (if the design has one), the flag and what the design
 * does with it, all under the locks the ioctl holds (spec/dax/locks.ts).
 */
export function setFlag(ctx: Ctx, rule: SetFlagRule) {
  const refuses = rule.refuses;
  const isAStep = rule.isAStep;
  const partWay = rule.failsPartWay;
  const chosen = partWay?.chosenBy;
  type Prm = { p: number; f: number; v: number } & Record<string, number>;
  const failsPartWay = (s: S, prm: Prm) => partWay !== undefined && (chosen === undefined || prm[chosen] === 1) && partWay.fails(s, prm.p, prm.f, prm.v);
  return action({
    params: { p: ctx.Procs, f: ctx.Files, v: bool, ...(chosen ? { [chosen]: bool } : {}) } as { p: typeof ctx.Procs; f: typeof ctx.Files; v: typeof bool },
    actor: 'p',
    guard: (s, prm) => {
      const { p, f, v } = prm;
      return s.fd[p]![f] !== Fd.closed && (isAStep ? isAStep(s, f, v) : s.xflagDax[f] !== v) && !(refuses && refuses(s, p, f, v))
        && (!failsPartWay(s, prm as Prm) || partWay!.changes(s, p, f, v));
    },
    guardDoc: `the process has the file open and ${rule.isAStep ? 'v changes the flag or S_DAX' : 'v changes the flag'}${rule.refusal ? `; ${rule.refusal}` : ''}`
      + `${partWay ? `; where it fails with ${partWay.error}, only if what it did first changes something` : ''}`,
    effect: (s, prm) => {
      const { p, f, v } = prm;
      if (failsPartWay(s, prm as Prm)) { partWay!.done(s, p, f, v); return; }
      s.xflagDax[f] = v;
      rule.then(s, p, f, v);
    },
    label: (prm, before) => `SetFlag(FS_XFLAG_DAX=${prm.v}${chosen && (prm as Prm)[chosen] ? ` + ${chosen}` : ''}) ${pName(prm.p)} ${fName(prm.f)}${rule.forwarded ? ' → FUSE_IOCTL' : ''}`
      + `${failsPartWay(before, prm as Prm) ? ` → ${partWay!.error}` : ''}`,
    source: SETFLAG_SOURCE,
  });
}

/**
 * cut=locks, a design that checks before it flips: the first half of the
 * ioctl takes the I/O and fault locks exclusive (xfs v4.13
 * xfs_ioctl_setattr_dax_invalidate; the design's check would sit right after
 * its xfs_ilock) and runs the check; the flag is not written yet. The locks
 * are held until SetFlagFlip, so no read, write, fault handler or other flag
 * change of the file runs in between; an mmap does, unless the design's own
 * lock keeps it out. v is the flag's new value: nothing else can write the
 * flag while the I/O lock is held, so SetFlagFlip writes 1 - the flag.
 */
export function setFlagCheck(ctx: Ctx, rule: SetFlagRule) {
  const refuses = rule.refuses;
  return action({
    params: { p: ctx.Procs, f: ctx.Files, v: bool },
    actor: 'p',
    guard: (s, { p, f, v }) => s.fd[p]![f] !== Fd.closed && s.xflagDax[f] !== v && !ioctlHolds(s, f, ctx.P)
      && !(refuses && refuses(s, p, f, v)),
    guardDoc: `the process has the file open, v changes the flag, and no other flag change of the file holds its locks${rule.refusal ? `; ${rule.refusal}` : ''}`,
    effect: (s, { p, f }) => { s.ioctl[p]![f] = 1; },
    label: ({ p, f, v }) => `SetFlag(FS_XFLAG_DAX=${v}) ${pName(p)} ${fName(f)}`,
    source: `${SETFLAG_SOURCE}; xfs v4.13 xfs_ioctl_setattr_dax_invalidate (xfs_ilock XFS_IOLOCK_EXCL|XFS_MMAPLOCK_EXCL)`,
  });
}

/** The ioctl's second half (cut=locks): the flag, then what the design does with it, then the locks are dropped. */
export function setFlagFlip(ctx: Ctx, rule: SetFlagRule) {
  return action({
    params: { p: ctx.Procs, f: ctx.Files },
    actor: 'p',
    guard: (s, { p, f }) => s.ioctl[p]![f] === 1,
    guardDoc: 'the process is inside the flag ioctl, past its check',
    effect: (s, { p, f }) => {
      const v = 1 - s.xflagDax[f]!;
      s.xflagDax[f] = v;
      rule.then(s, p, f, v);
      s.ioctl[p]![f] = 0;
    },
    label: ({ p, f }, _before, after) => `SetFlagFlip ${pName(p)} ${fName(f)} → past its check, i_rwsem + invalidate_lock held: FS_XFLAG_DAX=${after.xflagDax[f]}, flush + invalidate, S_DAX=${after.sDax[f]}; locks dropped`,
    source: 'xfs v4.13 xfs_ioctl_setattr: filemap_write_and_wait + invalidate_inode_pages2, xfs_diflags_to_linux, xfs_trans_commit (drops the joined locks)',
  });
}

/** A design's reason to fail the request. */
export type Refusal = Required<Pick<SetFlagRule, 'refuses' | 'refusal'>>;

/** d_mark_dontcache: I_DONTCACHE on the inode and DCACHE_DONTCACHE on every dentry it has now (fs/dcache.c). */
export function markDontcache(s: S, f: number): void {
  s.iDontcache[f] = 1;
  s.dDontcache[f] = 1;
}

/**
 * What landed in 5.8: S_DAX is left alone (ext4_set_inode_flags(inode, false)
 * keeps the bit; xfs_diflags_to_iflags(ip, false) likewise) and the inode is
 * marked so that it is evicted at its last reference. ext4_dax_dontcache
 * (fs/ext4/ioctl.c) and xfs_ioctl_setattr_prepare_dax (fs/xfs/xfs_ioctl.c,
 * e4f9ba20d3b8) mark only under dax=inode. Andreas Dilger's idea, seed 003,
 * 2017-09-07T21:26.
 */
export const markDontcacheAtIoctl = (ctx: Ctx): SetFlagRule => ({
  // The mount in effect: the mode of the last mount (spec/dax/mount.ts), and xfs
  // turns dax=always into never on a device without DAX (spec/dax/exclusions.ts).
  then: (s, _p, f) => { if (mountInEffect({ ...ctx.c, mount: mountModeOf(ctx, s) }) === 'inode') markDontcache(s, f); },
});

/**
 * xfs up to v4.13 (xfs_ioctl_setattr_dax_invalidate, then xfs_diflags_to_linux):
 * with IOLOCK and MMAPLOCK held, write back and invalidate the page cache,
 * then set S_DAX from the new flag. VMAs keep what mmap set up. Under
 * dax=always/never S_DAX follows the mount option and does not move.
 */
export const flipOnIoctl = (ctx: Ctx): SetFlagRule => ({
  flipsLive: true,
  then: (s, p, f) => {
    const want = ctx.flavour.desiredDax(s, f) ? 1 : 0;
    if (want === s.sDax[f]) return;
    flushAndInvalidate(s, f, ctx.P);
    s.sDax[f] = want;
    s.modeChange[f] = liveChange(s, p, f, ctx.P);
  },
});

/** How a live flip by p counts for the goals: on demand if another process has the file open or mapped. */
export function liveChange(s: S, p: number, f: number, P: number): number {
  for (let q = 0; q < P; q++) if (q !== p && (s.fd[q]![f] !== Fd.closed || s.vma[q]![f] !== Vma.none)) return ModeChange.onDemand;
  return ModeChange.otherwise;
}

/**
 * S_DAX recomputed from the flag with no flush or invalidate: the baseline
 * Ross Zwisler describes (seed 003, 2017-09-07T21:51: "we set up one mapping
 * to page cache, and one to DAX. Once either is written to they become out
 * of sync"); Andreas Dilger (21:26) on "enabling/disabling S_DAX on an inode
 * that already has dirty data".
 */
export const flipWithoutFlush = (ctx: Ctx): SetFlagRule => ({
  flipsLive: true,
  then: (s, p, f) => {
    const want = ctx.flavour.desiredDax(s, f) ? 1 : 0;
    if (want === s.sDax[f]) return;
    s.sDax[f] = want;
    s.modeChange[f] = liveChange(s, p, f, ctx.P);
  },
});

/** -EBUSY while any process has the file mapped (Jan Kara, seed 003, 2017-09-11: "whenever inode->i_mapping->i_mmap RB tree is empty"). */
export const busyWhileMapped = (ctx: Ctx): Refusal => ({
  refuses: (s, _p, f) => isMapped(s, f, ctx.P),
  refusal: '-EBUSY while any process has the file mapped',
});

/**
 * -EBUSY with "open mappings or any open file handles" (Ross Zwisler, seed
 * 003, 2017-09-07T22:19) — except the caller's own fd: "You have to have an
 * open fd to change the flag. :)" (Dave Chinner, 23:25).
 */
export const busyWhileOpenOrMapped = (ctx: Ctx): Refusal => ({
  refuses: (s, p, f) => {
    if (isMapped(s, f, ctx.P)) return true;
    for (let q = 0; q < ctx.P; q++) if (q !== p && s.fd[q]![f] !== Fd.closed) return true;
    return false;
  },
  refusal: '-EBUSY while the file is mapped, or open by another process',
});

/**
 * Ted Ts'o (seed 003, 2017-09-08T15:39): allow *setting* only when i_size and
 * i_blocks are zero, with one fd open against the inode, O_RDONLY. He answers
 * Ross Zwisler's option 2 (22:19: "we don't provide a way to clear"), so
 * clearing is refused: with clearing free the table would show a failure his
 * rule does not speak to. Mappings are not checked: an empty file can be
 * mapped before the flag is set, and grows afterwards.
 */
export const setOnlyOnEmptyFile = (ctx: Ctx): Refusal => ({
  refuses: (s, p, f, v) => {
    if (v === 0) return true;
    if (s.size[f] !== Size.empty || s.fd[p]![f] !== Fd.O_RDONLY) return true;
    for (let q = 0; q < ctx.P; q++) if (q !== p && s.fd[q]![f] !== Fd.closed) return true;
    return false;
  },
  refusal: 'clearing always fails; setting fails unless the file is empty and the caller\'s O_RDONLY fd is its only open',
});

/**
 * virtiofs v6 and after: the guest's ioctl is forwarded (FUSE_IOCTL) and
 * virtiofsd stores the flag on the host (v6 cover, seed 002, item 1); the
 * kernel does not mark the inode (item 2).
 */
export const forwardToServer: SetFlagRule = { then: () => {}, forwarded: true };

/**
 * Vivek Goyal's alternative (seed 002, 2021-10-20): "we can always mark inode
 * don't cache whenever client changes persistent DAX flag".
 */
export const forwardAndMarkDontcache = (ctx: Ctx): SetFlagRule => ({
  then: (s, _p, f) => { if (ctx.c.mount === 'inode') markDontcache(s, f); },
  forwarded: true,
});

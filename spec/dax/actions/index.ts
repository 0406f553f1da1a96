// The actions of one design: the flavour decides the lookup and the FUSE
// specifics, the design's behaviour the ioctl, the fault path and
// writeback. The order is the order BFS tries them, so among counterexamples
// of equal length the one printed starts with the earlier actions.

import type { ActionDef } from '../../../checker/model.js';
import type { Ctx } from '../context.js';
import type { Schema } from '../state.js';
import { entryTimeout, fuseGetattr, fuseLookup, type DontcacheCheck } from './fuse.js';
import { close, exit, fork, open } from './files.js';
import { refuseWithoutConnection } from './connection.js';
import { withDaxWindow } from './dax-window.js';
import { read, write, writeback, writeChoose, writeData } from './io.js';
import { diskLookup, type LookupPart } from './lookup.js';
import { faultHandler, load, mmap, munmap, pageFault, pageFaultStart, store, type FaultRule } from './mmap.js';
import { atomicCut, insideWriteOrFault, type Locking } from '../locks.js';
import { dropCaches } from './reclaim.js';
import { setFlag, setFlagCheck, setFlagFlip, type SetFlagRule } from './setflag.js';
import { statx } from './statx.js';

/** What a design chooses. */
export interface Behaviour {
  readonly setFlag: SetFlagRule;
  readonly faultRule: FaultRule;
  /** Page-cache writeback stays possible on an S_DAX inode. */
  readonly writebackUnderDax: boolean;
  readonly readOnlyOpens: boolean;
  /** virtiofs: when fuse_change_attributes marks the inode DONTCACHE. */
  readonly dontcache?: DontcacheCheck;
  /** The design's own lock, held from the ioctl's check to its flip, is taken by ->mmap: no new mapping while switching. */
  readonly mmapWaitsForFlagChange?: boolean;
  /** The design takes no lock of its own and guards nothing with the kernel's: it is cut atomically at any `cut`. */
  readonly noLocksToCut?: boolean;
  /** read(2) and write(2) choose DAX or the page cache under the I/O lock (Jan Kara, 2017-09-08: "we can serialize against IO in progress"). */
  readonly ioChoosesUnderLock?: boolean;
  /** Reclaim as the design's kernel ran it, where it differs from 6.12's (spec/dax/actions/reclaim.ts). */
  readonly dropCaches?: (ctx: Ctx) => ActionDef<Schema, any> | undefined;
}

/**
 * Where a design's steps are cut (spec/dax/locks.ts). cut=locks splits only
 * what can be observed: the ioctl of a design that flips S_DAX live after a
 * check, and the faults of a design that flips S_DAX live at all. A design
 * whose S_DAX changes only at iget is cut atomically in either setting.
 */
export function lockingFor(ctx: Ctx, b: Behaviour): Locking {
  if (ctx.c.cut === 'atomic' || !b.setFlag.flipsLive || b.noLocksToCut) return atomicCut;
  return {
    splitIoctl: !!b.setFlag.refuses, splitFault: true, blocksMmap: !!b.mmapWaitsForFlagChange,
    splitWrite: ctx.flavour.fs === 'ext4/xfs' && !b.ioChoosesUnderLock,
  };
}

/** The cut a design is checked with, in words, for the verdict table. */
export function cutWords(ctx: Ctx, b: Behaviour): string {
  const l = lockingFor(ctx, b);
  if (!l.splitFault) return !b.setFlag.flipsLive ? 'atomic (exact)' : b.noLocksToCut && ctx.c.cut !== 'atomic' ? 'atomic (no locks)' : 'atomic';
  return `locks${l.blocksMmap ? ', ->mmap' : ''}`;
}

/** The steps that finish what a process started: they run while it is inside the call. */
const SECOND_HALVES = new Set(['SetFlagFlip', 'WriteData', 'FaultHandler']);

/**
 * A process is one thread while it is inside a write or a mkwrite fault: it
 * takes no other step until that one is done. (Inside the flag ioctl its other
 * threads go on: the caller may mmap the file it is switching.)
 */
function waitsWhileBusy(a: ActionDef<Schema, any>, ctx: Ctx): ActionDef<Schema, any> {
  const guard = a.guard;
  return {
    ...a,
    guard: (s, prm) => !insideWriteOrFault(s, prm.p as number, ctx.F) && (guard ? guard(s, prm) : true),
    guardDoc: `${a.guardDoc ?? 'always'}; the process is not inside a write or a fault`,
  };
}

/** How an open's path walk looks the file up. */
export function lookupFor(ctx: Ctx, b: Behaviour): LookupPart {
  return ctx.flavour.fs === 'virtiofs' ? fuseLookup(ctx, b.dontcache!) : diskLookup(ctx);
}

export function actionsFor(ctx: Ctx, b: Behaviour): Record<string, ActionDef<Schema, any>> {
  const virtiofs = ctx.flavour.fs === 'virtiofs';
  if (virtiofs && !b.dontcache) throw new Error('a virtiofs design must say when fuse_change_attributes marks DONTCACHE');
  const lookup = lookupFor(ctx, b);
  const locking = lockingFor(ctx, b);
  const all: Record<string, ActionDef<Schema, any> | undefined> = {
    Open: open(ctx, lookup, { readOnlyOpens: b.readOnlyOpens }),
    Mmap: mmap(ctx, locking),
    SetFlag: locking.splitIoctl ? setFlagCheck(ctx, b.setFlag) : setFlag(ctx, b.setFlag),
    SetFlagFlip: locking.splitIoctl ? setFlagFlip(ctx, b.setFlag) : undefined,
    PageFault: locking.splitFault ? pageFaultStart(ctx, b.faultRule) : pageFault(ctx, b.faultRule),
    FaultHandler: locking.splitFault ? faultHandler(ctx, b.faultRule) : undefined,
    Load: load(ctx),
    Store: store(ctx),
    Read: read(ctx),
    Write: locking.splitWrite ? writeChoose(ctx) : write(ctx),
    WriteData: locking.splitWrite ? writeData(ctx) : undefined,
    Writeback: writeback(ctx, { underDax: b.writebackUnderDax }),
    Munmap: munmap(ctx),
    Close: close(ctx),
    Fork: fork(ctx),
    Exit: exit(ctx),
    Statx: statx(ctx, lookup, virtiofs ? fuseGetattr(ctx, b.dontcache!) : undefined),
    Timeout: virtiofs ? entryTimeout(ctx) : undefined,
    DropCaches: b.dropCaches ? b.dropCaches(ctx) : dropCaches(ctx),
  };
  const out: Record<string, ActionDef<Schema, any>> = {};
  for (const [k, a] of Object.entries(all)) if (a) out[k] = SECOND_HALVES.has(k) || a.actor !== 'p' ? a : waitsWhileBusy(a, ctx);
  return refuseWithoutConnection(ctx, withDaxWindow(ctx, out));
}

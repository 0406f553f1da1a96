// The actions of one design: the flavour decides the lookup and the FUSE
// specifics, the design's behaviour the ioctl, the fault path and
// writeback. The order is the order BFS tries them, so among counterexamples
// of equal length the one printed starts with the earlier actions.

import type { ActionDef } from '../../../checker/model.js';
import type { Ctx } from '../context.js';
import type { Schema } from '../state.js';
import { entryTimeout, fuseLookup, type DontcacheCheck } from './fuse.js';
import { close, exit, fork, open } from './files.js';
import { read, write, writeback } from './io.js';
import { diskLookup, type LookupPart } from './lookup.js';
import { faultHandler, load, mmap, munmap, pageFault, pageFaultStart, store, type FaultRule } from './mmap.js';
import { atomicCut, type Locking } from '../locks.js';
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
  /** page_mkwrite / pfn_mkwrite bail out when the mode is not the one the mm chose (Jan Kara, seed 003, 2017-09-08). */
  readonly mkwriteRechecks?: boolean;
}

/**
 * Where a design's steps are cut (spec/dax/locks.ts). cut=locks splits only
 * what can be observed: the ioctl of a design that flips S_DAX live after a
 * check, and the faults of a design that flips S_DAX live at all. A design
 * whose S_DAX changes only at iget is cut atomically in either setting.
 */
export function lockingFor(ctx: Ctx, b: Behaviour): Locking {
  if (ctx.c.cut === 'atomic' || !b.setFlag.flipsLive) return atomicCut;
  return { splitIoctl: !!b.setFlag.refuses, splitFault: true, blocksMmap: !!b.mmapWaitsForFlagChange };
}

/** The cut a design is checked with, in words, for the verdict table. */
export function cutWords(ctx: Ctx, b: Behaviour): string {
  const l = lockingFor(ctx, b);
  if (!l.splitFault) return b.setFlag.flipsLive ? 'atomic' : 'atomic (exact)';
  return `locks${l.blocksMmap ? ', ->mmap' : ''}`;
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
    FaultHandler: locking.splitFault ? faultHandler(ctx, b.faultRule, { recheck: !!b.mkwriteRechecks }) : undefined,
    Load: load(ctx),
    Store: store(ctx),
    Read: read(ctx),
    Write: write(ctx),
    Writeback: writeback(ctx, { underDax: b.writebackUnderDax }),
    Munmap: munmap(ctx),
    Close: close(ctx),
    Fork: fork(ctx),
    Exit: exit(ctx),
    Statx: statx(ctx, lookup),
    Timeout: virtiofs ? entryTimeout(ctx) : undefined,
    DropCaches: dropCaches(ctx),
  };
  const out: Record<string, ActionDef<Schema, any>> = {};
  for (const [k, a] of Object.entries(all)) if (a) out[k] = a;
  return out;
}

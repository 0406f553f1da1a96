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
import { load, mmap, munmap, pageFault, store, type FaultRule } from './mmap.js';
import { dropCaches } from './reclaim.js';
import { setFlag, type SetFlagRule } from './setflag.js';
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
}

/** How an open's path walk looks the file up. */
export function lookupFor(ctx: Ctx, b: Behaviour): LookupPart {
  return ctx.flavour.fs === 'virtiofs' ? fuseLookup(ctx, b.dontcache!) : diskLookup(ctx);
}

export function actionsFor(ctx: Ctx, b: Behaviour): Record<string, ActionDef<Schema, any>> {
  const virtiofs = ctx.flavour.fs === 'virtiofs';
  if (virtiofs && !b.dontcache) throw new Error('a virtiofs design must say when fuse_change_attributes marks DONTCACHE');
  const lookup = lookupFor(ctx, b);
  const all: Record<string, ActionDef<Schema, any> | undefined> = {
    Open: open(ctx, lookup, { readOnlyOpens: b.readOnlyOpens }),
    Mmap: mmap(ctx),
    SetFlag: setFlag(ctx, b.setFlag),
    PageFault: pageFault(ctx, b.faultRule),
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

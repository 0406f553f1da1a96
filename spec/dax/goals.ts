// Reachability goals: states a property needs to have seen before its pass
// means anything. Each is reported with a witness trace.

import { exists } from '../../checker/domain.js';
import type { ReachabilityGoal } from '../../checker/model.js';
import type { Ctx } from './context.js';
import { isDaxPte, isPageCachePte, referenced } from './inode.js';
import { InCore, ModeChange, Vma, type S, type Schema } from './state.js';

type Goal = ReachabilityGoal<Schema>;

function somePte(ctx: Ctx, kind: (pte: number) => boolean) {
  return (s: S) => exists(ctx.Procs, (p) => exists(ctx.Files, (f) => kind(s.pte[p]![f]!)));
}

export function goals(ctx: Ctx): Record<string, Goal> {
  const desired = ctx.flavour.desiredDax;
  return {
    DaxMappingLive: {
      kind: 'reachable',
      doc: 'a process has a DAX page mapped',
      reached: somePte(ctx, isDaxPte),
    },
    PcMappingLive: {
      kind: 'reachable',
      doc: 'a process has a page-cache page mapped',
      reached: somePte(ctx, isPageCachePte),
    },
    FlagChangedWhileMapped: {
      kind: 'reachable',
      // Stated over one state: the flag (for virtiofs, the server's
      // FUSE_ATTR_DAX) now asks for the other mode than a live VMA was set up
      // for. Designs that refuse the change while mapped never get here.
      doc: 'a live mapping was set up for the mode the DAX flag no longer asks for',
      reached: (s: S) => exists(ctx.Files, (f) => {
        const want = desired(s, f) ? Vma.dax : Vma.pagecache;
        return exists(ctx.Procs, (p) => s.vma[p]![f] !== Vma.none && s.vma[p]![f] !== want);
      }),
    },
    ReinstantiatedOtherMode: {
      kind: 'reachable',
      // The design's own route (dax.rst "Summary" item 6: the change takes
      // effect once "the files are closed by all processes"), not drop_caches,
      // which gets every design there.
      doc: 'an inode evicted at its last close is instantiated again in the other mode',
      reached: (s: S) => exists(ctx.Files, (f) => s.modeChange[f] === ModeChange.afterLastClose),
    },
    SDaxChanged: {
      kind: 'reachable',
      doc: 'a file\'s S_DAX differs from what it was before (flipped live, or re-instantiated)',
      reached: (s: S) => exists(ctx.Files, (f) => s.inode[f] === InCore.cached && s.modeChange[f] !== ModeChange.none),
    },
    ChangeOnDemand: {
      kind: 'reachable',
      section: 'trade-off',
      // What instantiate-only gives up: the change waits for every user to let go.
      doc: 'the new mode takes effect while another process has the file open or mapped (on demand)',
      source: 'Dave Chinner, seed 003, 2017-09-07T22:12 ("an awful admin interface - it can\'t be done on demand (i.e. when needed) because we can\'t force an inode to be evicted"; '
        + '"Not if it\'s referenced")',
      reached: (s: S) => exists(ctx.Files, (f) => s.modeChange[f] === ModeChange.onDemand),
    },
    FlagSetNotYetInEffect: {
      kind: 'reachable',
      section: 'trade-off',
      // FS_IOC_FSGETXATTR shows the flag, statx STATX_ATTR_DAX shows S_DAX: a user can see the difference.
      doc: 'a file in use has a flag (virtiofs: a server answer) that asks for one mode while S_DAX is the other, and a user can see both',
      source: 'Ross Zwisler, seed 003, 2017-09-07T21:51 ("A good way of letting the user detect the state where they had set the DAX inode flag, but that it wasn\'t yet in use by the inode"); '
        + 'Documentation/filesystems/dax.rst (statx STATX_ATTR_DAX)',
      reached: (s: S) => exists(ctx.Files, (f) => s.inode[f] === InCore.cached && referenced(s, f, ctx.P) && (desired(s, f) ? 1 : 0) !== s.sDax[f]),
    },
    DontCacheMarked: {
      kind: 'reachable',
      doc: 'an inode is marked I_DONTCACHE',
      reached: (s: S) => exists(ctx.Files, (f) => s.iDontcache[f] === 1),
    },
  };
}

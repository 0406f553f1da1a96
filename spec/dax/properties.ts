// What the designs are judged by. Each property says who asked for it and
// where; `nonVacuousIf` names the goals without which a pass proves nothing.

import { exists, forall } from '../../checker/domain.js';
import type { ActionProperty, Invariant, StepInfo } from '../../checker/model.js';
import type { FaultRule } from './actions/mmap.js';
import type { Ctx } from './context.js';
import { isDaxPte, isPageCachePte, referenced } from './inode.js';
import { FaultStage, Fd, InCore, PageCache, Pte, Vma, type S, type Schema } from './state.js';

type Prop = Invariant<Schema> | ActionProperty<Schema>;

const BOTH_MODES_AND_A_SWITCH = ['DaxMappingLive', 'PcMappingLive', 'SDaxChanged'];

/**
 * `faultActions`: the actions that serve a fault (PageFault, and FaultHandler
 * where the fault is cut in two, spec/dax/locks.ts). A PageFault that only
 * chose the handler leaves the PTE as it was; a step that installs nothing
 * (a handler that bails out) is judged by none of the fault properties.
 */
export function properties(ctx: Ctx, faultRule: FaultRule, faultActions: readonly string[]): Record<string, Prop> {
  const { P, Files, Procs } = ctx;
  const desired = ctx.flavour.desiredDax;

  const noMixedMappings: Invariant<Schema> = {
    kind: 'invariant',
    doc: 'no file has a live DAX mapping together with a live page-cache mapping or dirty page-cache data',
    source: 'Ross Zwisler, seed 003, 2017-09-07T21:51 ("one mapping to page cache, and one to DAX ... they become out of sync"); '
      + 'Andreas Dilger, 21:26 (dirty data); Jan Kara, 2017-09-08 ("if we disallow any mappings when switching S_DAX flag ... there can be no races")',
    nonVacuousIf: BOTH_MODES_AND_A_SWITCH,
    holds: (s: S) => forall(Files, (f) => {
      const dax = exists(Procs, (p) => s.vma[p]![f] === Vma.dax || isDaxPte(s.pte[p]![f]!));
      const pc = s.pageCache[f] === PageCache.dirty || exists(Procs, (p) => s.vma[p]![f] === Vma.pagecache || isPageCachePte(s.pte[p]![f]!));
      return !(dax && pc);
    }),
  };

  const faultFollowsMapping: ActionProperty<Schema> = {
    kind: 'action',
    doc: 'a page fault is served the way its VMA was set up at mmap time',
    source: 'Dave Chinner, seed 003, 2017-09-07T23:25 <20170907232543.GB17782@dastard> ("sending a racing page fault down the wrong path"); '
      + 'Jan Kara, 2017-09-08 (the vmf differs for page_mkwrite/pfn_mkwrite); a pfn in a VMA without VM_MIXEDMAP is the crash Eric Sandeen mentions (2017-09-06)',
    nonVacuousIf: BOTH_MODES_AND_A_SWITCH,
    actions: faultActions,
    holds: (before: S, step: StepInfo, after: S) => {
      const { p, f } = step.params as { p: number; f: number };
      if (after.pte[p]![f] === before.pte[p]![f]) return true;
      return isDaxPte(after.pte[p]![f]!) === (before.vma[p]![f] === Vma.dax);
    },
  };

  const mkwriteServedAsStarted: ActionProperty<Schema> = {
    kind: 'action',
    doc: 'a write fault on a read-only PTE is served the way the mm started it: page_mkwrite maps a page, pfn_mkwrite a pfn',
    source: 'Jan Kara, seed 003, 2017-09-08 ("the real problem is only with .page_mkwrite and .pfn_mkwrite callbacks. For those setup of \'vmf\' differs"); '
      + 'Dave Chinner, 2017-09-07T23:25 ("we can\'t properly lock out page faults to to prevent sending a racing page fault down the wrong path")',
    nonVacuousIf: BOTH_MODES_AND_A_SWITCH,
    actions: faultActions,
    holds: (before: S, step: StepInfo, after: S) => {
      const { p, f } = step.params as { p: number; f: number };
      const pte = after.pte[p]![f]!;
      if (pte === before.pte[p]![f]) return true;
      // Split: the stage the mm recorded. Atomic: the handler do_wp_page picks for this PTE.
      const stage = step.action === 'FaultHandler' ? before.fault[p]![f]!
        : step.params.write !== 1 ? FaultStage.none
          : before.pte[p]![f] === Pte['pagecache-ro'] ? FaultStage.page_mkwrite
            : before.pte[p]![f] === Pte['dax-ro'] ? FaultStage.pfn_mkwrite : FaultStage.none;
      if (stage === FaultStage.page_mkwrite) return !isDaxPte(pte);
      if (stage === FaultStage.pfn_mkwrite) return !isPageCachePte(pte);
      return true;
    },
  };

  const sDaxStableWhileInUse: ActionProperty<Schema> = {
    kind: 'action',
    section: 'rule',
    doc: 'S_DAX of a cached inode changes only while no file is open and nothing is mapped',
    source: 'Andreas Dilger, seed 003, 2017-09-07T21:26 ("only allow S_DAX to be set when the inode is first instantiated"); '
      + 'Ross Zwisler, 21:51 ("couldn\'t ever race with I/Os or mmaps()"); the v6 cover [Note], seed 002 (switching a_ops of an open file is "fragile")',
    nonVacuousIf: ['SDaxChanged'],
    holds: (before: S, _step: StepInfo, after: S) => forall(Files, (f) =>
      before.sDax[f] === after.sDax[f] || before.inode[f] !== InCore.cached || after.inode[f] !== InCore.cached
      || !referenced(before, f, P)),
  };

  const sDaxStableUnderOtherUsers: ActionProperty<Schema> = {
    kind: 'action',
    section: 'rule',
    // SDaxStableWhileInUse fails for every design that flips at the ioctl,
    // only because the caller needs an fd; this one tells the flip designs apart.
    // Jan Kara answered the rule (2017-09-08): "open file handles don't matter
    // and we can serialize against IO in progress" -- a design that breaks it
    // with nothing mapped harms nothing; the harm rows say whether it does.
    doc: 'S_DAX of a cached inode changes only while nothing is mapped and no process but the one acting has the file open',
    source: 'Ross Zwisler, seed 003, 2017-09-07T22:19, option 1 ("-EBUSY if anyone tries to change the DAX flag of an inode with open mappings or any open file handles"); '
      + 'Dave Chinner, 23:25 ("You have to have an open fd to change the flag. :)"): the caller\'s own fd is allowed; '
      + 'against it: Jan Kara, 2017-09-08 ("open file handles don\'t matter")',
    nonVacuousIf: ['SDaxChanged'],
    holds: (before: S, step: StepInfo, after: S) => forall(Files, (f) =>
      before.sDax[f] === after.sDax[f] || before.inode[f] !== InCore.cached || after.inode[f] !== InCore.cached
      || forall(Procs, (p) => before.vma[p]![f] === Vma.none && (p === step.process || before.fd[p]![f] === Fd.closed))),
  };

  const readSeesLastWrite: ActionProperty<Schema> = {
    kind: 'action',
    doc: 'read(2), a read fault and a load all return the last version written',
    source: 'Ross Zwisler, seed 003, 2017-09-07T21:51 ("they become out of sync"); xfstests generic/608 test_buffered_data_lost',
    nonVacuousIf: BOTH_MODES_AND_A_SWITCH,
    actions: ['Read', 'Load', 'PageFault'],
    holds: (_before: S, step: StepInfo, after: S) => {
      const a = step.action;
      const f = step.params.f!;
      const p = step.params.p!;
      let fromStorage: boolean;
      if (a === 'Read') {
        // read_iter picks DAX or the page cache from IS_DAX, and the page-cache path has just filled the page.
        fromStorage = after.sDax[f] === 1;
      } else if (a === 'Load' || (a === 'PageFault' && step.params.write === 0)) {
        fromStorage = isDaxPte(after.pte[p]![f]!);
      } else return true;
      const got = fromStorage ? after.storage[f] : after.pageVersion[f];
      return got === after.lastWrite[f];
    },
  };

  const noSpuriousDontCache: ActionProperty<Schema> = {
    kind: 'action',
    doc: 'an inode is marked I_DONTCACHE only when instantiating it now would give another S_DAX',
    source: 'Jeffle Xu, v6 cover, seed 002, item 2 (mark only if FUSE_ATTR_DAX "**indeed** changes") and 2021-10-20 '
      + '("the previous eviction is totally wasted"); the v3 -> v4 fix s/IS_DAX(inode) != newdax/!!IS_DAX(inode) != newdax/',
    nonVacuousIf: ['DontCacheMarked'],
    holds: (before: S, _step: StepInfo, after: S) => forall(Files, (f) =>
      before.iDontcache[f] !== 0 || after.iDontcache[f] !== 1 || (desired(after, f) ? 1 : 0) !== after.sDax[f]),
  };

  const statxTellsTheTruth: Invariant<Schema> = {
    kind: 'invariant',
    // read(2)/write(2) go by IS_DAX in every design, so only mappings can
    // disagree: a mapped PTE by its kind, a VMA without one by the path its
    // next fault would take.
    doc: 'STATX_ATTR_DAX (that is, S_DAX) is the mode every access to the file actually uses',
    source: 'Dave Chinner, seed 000, 2021-09-27 ("per-inode state that users must probe via statx() to determine if dax is active"); '
      + 'Ross Zwisler, seed 003, 2017-09-07T21:51 ("a good way of letting the user detect"); Documentation/filesystems/dax.rst (statx)',
    nonVacuousIf: ['SDaxChanged'],
    holds: (s: S) => forall(Files, (f) => s.inode[f] !== InCore.cached || forall(Procs, (p) => {
      if (s.vma[p]![f] === Vma.none) return true;
      const pte = s.pte[p]![f]!;
      const served = pte !== Pte.none ? isDaxPte(pte) : faultRule(s, p, f);
      return served === (s.sDax[f] === 1);
    })),
  };

  const newModeAfterLastClose: ActionProperty<Schema> = {
    kind: 'action',
    doc: 'a file opened when no process has it open or mapped gets the mode its DAX flag (virtiofs: the server) asks for now',
    source: 'Documentation/filesystems/dax.rst "Summary" item 6 (the change takes effect when "the files are closed by all processes"); '
      + 'v6 cover [Note], seed 002 ("when the file gets reopened next time, the new instantiated inode will reflect the new DAX state ... '
      + 'This is also how ext4/xfs per-file DAX works"); Jeffle Xu, seed 002, 2021-10-20 (the cache=always defect)',
    nonVacuousIf: ['SDaxChanged'],
    actions: ['Open'],
    holds: (before: S, step: StepInfo, after: S) => {
      const f = step.params.f!;
      return referenced(before, f, P) || (desired(after, f) ? 1 : 0) === after.sDax[f];
    },
  };

  return {
    NoMixedMappings: noMixedMappings,
    FaultFollowsMapping: faultFollowsMapping,
    MkwriteServedAsStarted: mkwriteServedAsStarted,
    SDaxStableWhileInUse: sDaxStableWhileInUse,
    SDaxStableUnderOtherUsers: sDaxStableUnderOtherUsers,
    ReadSeesLastWrite: readSeesLastWrite,
    NoSpuriousDontCache: noSpuriousDontCache,
    StatxTellsTheTruth: statxTellsTheTruth,
    NewModeAfterLastClose: newModeAfterLastClose,
  };
}

// What the designs are judged by. Each property says who asked for it and
// where; `nonVacuousIf` names the goals without which a pass proves nothing.

import { exists, forall } from '../../checker/domain.js';
import type { ActionProperty, Invariant, StepInfo } from '../../checker/model.js';
import type { FaultRule } from './actions/mmap.js';
import type { Ctx } from './context.js';
import { isDaxPte, isPageCachePte, referenced } from './inode.js';
import { Fd, InCore, PageCache, Pte, Vma, type S, type Schema } from './state.js';

type Prop = Invariant<Schema> | ActionProperty<Schema>;

const BOTH_MODES_AND_A_SWITCH = ['DaxMappingLive', 'PcMappingLive', 'SDaxChanged'];

export function properties(ctx: Ctx, faultRule: FaultRule): Record<string, Prop> {
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
    actions: ['PageFault'],
    holds: (before: S, step: StepInfo, after: S) => {
      const { p, f } = step.params as { p: number; f: number };
      return isDaxPte(after.pte[p]![f]!) === (before.vma[p]![f] === Vma.dax);
    },
  };

  const sDaxStableWhileInUse: ActionProperty<Schema> = {
    kind: 'action',
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
    // SDaxStableWhileInUse fails for every design that flips at the ioctl,
    // only because the caller needs an fd; this one tells the flip designs apart.
    doc: 'S_DAX of a cached inode changes only while nothing is mapped and no process but the one acting has the file open',
    source: 'Dave Chinner, seed 003, 2017-09-07T23:25 ("You have to have an open fd to change the flag. :)"); '
      + 'Jan Kara, 2017-09-08 ("open file handles don\'t matter and we can serialize against IO in progress"); design note §4, P3′',
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
      let f: number;
      let fromStorage: boolean;
      if (a === 'Read') {
        f = step.params.f!;
        // read_iter picks DAX or the page cache from IS_DAX, and the page-cache path has just filled the page.
        fromStorage = after.sDax[f] === 1;
      } else if (a === 'Load' || (a === 'PageFault' && step.params.write === 0)) {
        f = step.params.f!;
        fromStorage = isDaxPte(after.pte[step.params.p!]![f]!);
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
    SDaxStableWhileInUse: sDaxStableWhileInUse,
    SDaxStableUnderOtherUsers: sDaxStableUnderOtherUsers,
    ReadSeesLastWrite: readSeesLastWrite,
    NoSpuriousDontCache: noSpuriousDontCache,
    StatxTellsTheTruth: statxTellsTheTruth,
    NewModeAfterLastClose: newModeAfterLastClose,
  };
}

// The verdict table of `daxcheck matrix dax` at the default constants
// (files=1 procs=2 versions=2 mount=inode cache=always policy=flag-and-size
// serverPerFileDax=yes reclaim=on), cell by cell. Trace lengths count steps
// after the initial state; an open includes its path walk and lookup.
// A cell that disagrees is a finding about a design (or the model): report
// it, do not bend the expectation.
//
// Seeds: 003 = "[PATCH 0/9] add ext4 per-inode DAX flag" (Sept 2017);
// 002 = virtiofs per-file DAX v6 thread (Oct 2021); 000 = v5 2/5 (Sept 2021).

import { describe, expect, it } from 'vitest';
import { holds, reached, vacuous, verdicts, violated, type Row } from '../../testkit/dax.js';

// Goals and rows that read the same in every design of a flavour where nothing refuses or marks.
const flipGoals = (firstFlip: number, mappedFlip: number): Row => ({
  NoSpuriousDontCache: vacuous, // nothing is ever marked I_DONTCACHE in a flip design
  NewModeAfterLastClose: holds, // the flip is immediate, so the next open always has the new mode
  // S_DAX follows the flag at the flip (or the ioctl is refused), and the ioctl needs an open fd: no inode is ever stale
  // and unused, so the leads-to's trigger is never reached.
  ModeConverges: vacuous,
  DaxMappingLive: reached(3), // Open (flag set), Mmap, PageFault
  PcMappingLive: reached(3), // Open (flag clear), Mmap, PageFault
  FlagChangedWhileMapped: reached(mappedFlip),
  ReinstantiatedOtherMode: vacuous, // S_DAX already follows the flag
  SDaxChanged: reached(firstFlip),
  // Trade-off: Open p1, Open p2, SetFlag(+flip): the mode changes under another user's open file. Dave Chinner, 003,
  // 2017-09-07T22:12, wanted exactly this ("it can't be done on demand ... Not if it's referenced").
  ChangeOnDemand: reached(firstFlip + 1),
  // Trade-off: the flag and S_DAX change together (or the change fails): there is never a state for Ross Zwisler's
  // "letting the user detect" (003, 21:51) to show.
  FlagSetNotYetInEffect: vacuous,
  DontCacheMarked: vacuous,
});

const expected: Record<string, Row> = {
  'flip-without-flush': {
    // Open (S_DAX=0), Write (a dirty page-cache page), SetFlag(1) flips S_DAX with no writeback, Mmap: a DAX VMA beside the
    // dirty page. Andreas Dilger, 003, 2017-09-07T21:26: "enabling/disabling S_DAX on an inode that already has dirty data".
    NoMixedMappings: violated(4),
    // Open, Mmap, PageFault(read) leaves a page-cache PTE, SetFlag(1): statx says DAX over a page-cache PTE.
    // Ross Zwisler, 21:51: "a good way of letting the user detect".
    StatxTellsTheTruth: violated(4),
    // Open, Mmap (page-cache VMA), SetFlag(1), PageFault(read): xfs asks IS_DAX and maps a pfn into a VMA without
    // VM_MIXEDMAP. Dave Chinner, 003, 23:25: "sending a racing page fault down the wrong path".
    FaultFollowsMapping: violated(4),
    // Cut atomically (a baseline with no locks): Open, Mmap, PageFault(read), SetFlag(1) (no zap: the read-only page-cache
    // PTE stays), PageFault(write): page_mkwrite for a page, and __xfs_filemap_fault sees IS_DAX and runs
    // dax_iomap_fault with a vmf set up for a page. Jan Kara, 003, 2017-09-08: "For those setup of 'vmf' differs".
    MkwriteServedAsStarted: violated(5),
    // Rule: Open, SetFlag. Andreas Dilger, 21:26: "only allow S_DAX to be set when the inode is first instantiated".
    SDaxStableWhileInUse: violated(2),
    // Rule: Open p1, Open p2, SetFlag by p1. Ross Zwisler, 22:19, option 1 ("any open file handles").
    SDaxStableUnderOtherUsers: violated(3),
    // Open, Write (dirty page, storage stale), SetFlag(1), Read through DAX returns the stale storage. Andreas Dilger, 21:26.
    ReadSeesLastWrite: violated(4),
    ...flipGoals(2, 3),
  },
  'flip-on-ioctl': {
    // xfs <= v4.13 writes back and zaps PTEs, but the VMA keeps its page-cache setup: Open, Mmap, SetFlag(1),
    // PageFault(read) puts a pfn in it. Eric Sandeen, 003, 2017-09-06: "its habit of crashing the kernel".
    NoMixedMappings: violated(4),
    // The refault follows IS_DAX and the flush left one copy, so statx is right; the lie is the VMA's setup (next row).
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: violated(4), // the same four steps; Dave Chinner, 23:25
    // Dave Chinner's racing fault (23:25, "we can't properly lock out page faults"): Open p1, Open p2, Mmap p1,
    // PageFault(read) p1, PageFault(write) p1 -> ->page_mkwrite, SetFlag(1) p2 (the fault lock is free until the handler
    // takes it), FaultHandler p1: IS_DAX now, so dax_iomap_fault runs with page_mkwrite's vmf. Jan Kara, 2017-09-08:
    // "For those setup of 'vmf' differs".
    MkwriteServedAsStarted: violated(7),
    SDaxStableWhileInUse: violated(2), // rule; Open, SetFlag
    SDaxStableUnderOtherUsers: violated(3), // rule; Open p1, Open p2, SetFlag
    // xfs_file_write_iter tests IS_DAX before it takes the IOLOCK: Open p1, Open p2, Write p1 (buffered path chosen),
    // SetFlag(1) p2 (flush, invalidate, flip under IOLOCK+MMAPLOCK), WriteData p1 (a dirty page on a DAX inode, which the
    // DAX a_ops never write back), Read p1 through DAX: stale. Ross Zwisler, 003, 21:51: "more about having mappings set
    // up and I/Os in flight"; Eric Sandeen, 2017-09-06: "its habit of crashing the kernel".
    ReadSeesLastWrite: violated(6),
    ...flipGoals(2, 3),
  },
  'ext4-patch9': {
    // Ross Zwisler, 003, 2017-09-06, on patch 9: "it has the exact same problems as the XFS per-inode DAX flag". Open p1,
    // Open p2, Mmap p1 (page-cache vm_ops), SetFlag(1), Mmap p2 (ext4_dax_vm_ops): both kinds of VMA on one file.
    NoMixedMappings: violated(5),
    // Open, Mmap (page-cache vm_ops), SetFlag(1): statx says DAX, the VMA's next fault goes to the page cache.
    StatxTellsTheTruth: violated(3),
    // ext4_file_mmap chose the vm_ops; ext4_dax_fault / ext4_page_mkwrite never ask IS_DAX again: every fault follows
    // its VMA (what Dave Chinner asked for, 23:25), and so every mkwrite is served as the mm started it.
    FaultFollowsMapping: holds,
    MkwriteServedAsStarted: holds,
    SDaxStableWhileInUse: violated(2), // rule
    SDaxStableUnderOtherUsers: violated(3), // rule
    // Open, Mmap (page cache), SetFlag(1), PageFault(write) dirties a page under DAX a_ops, Read(2) goes to DAX: stale.
    // The price of following the VMA without Dave Chinner's -EBUSY (23:25: "Combine that with -EBUSY").
    ReadSeesLastWrite: violated(5),
    ...flipGoals(2, 3),
  },
  'ebusy-while-mapped': {
    // Jan Kara, 003, 2017-09-11 ("whenever inode->i_mapping->i_mmap RB tree is empty") without the lock he said it needs
    // ("tricky to prevent creation of new mappings while we are switching"): Open, SetFlag (locks taken, i_mmap empty,
    // check passes), Mmap (->mmap takes no inode lock: a page-cache VMA), SetFlagFlip (flush, invalidate, S_DAX=1),
    // PageFault(read): a pfn in a page-cache VMA.
    NoMixedMappings: violated(5),
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: violated(5), // the same five steps
    MkwriteServedAsStarted: holds, // a mkwrite needs a PTE, and the flip zaps them all under the fault lock
    // Rule: Open, SetFlag, SetFlagFlip: open files are allowed, the caller's included (Dave Chinner, 23:25: "You have
    // to have an open fd"; Jan Kara, 2017-09-08: "open file handles don't matter").
    SDaxStableWhileInUse: violated(3),
    SDaxStableUnderOtherUsers: violated(4), // rule; Open p1, Open p2, SetFlag, SetFlagFlip
    // Open, SetFlag (check passes), Write (buffered path chosen before the IOLOCK), SetFlagFlip, WriteData (a dirty page
    // on a DAX inode), Read through DAX: stale. Jan Kara's "we can serialize against IO in progress" is a lock too.
    ReadSeesLastWrite: violated(6),
    ...flipGoals(3, 4),
  },
  'ebusy-while-open': {
    // Ross Zwisler, 003, 2017-09-07T22:19, option 1: "To prevent TOCTOU races we'd have to do some additional locking".
    // Without it: the same five steps as ebusy-while-mapped (the caller's own Mmap between check and flip).
    NoMixedMappings: violated(5),
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: violated(5),
    MkwriteServedAsStarted: holds,
    SDaxStableWhileInUse: violated(3), // rule; the caller's own fd, which the ioctl needs (Dave Chinner, 23:25)
    // Rule: Open p1, SetFlag (no other opener: passes), Open p2 (open takes no inode lock), SetFlagFlip: the TOCTOU
    // Ross Zwisler named breaks his own rule too.
    SDaxStableUnderOtherUsers: violated(4),
    ReadSeesLastWrite: violated(6), // the caller's own write racing its flip, as in ebusy-while-mapped

    ...flipGoals(3, 4),
    // Trade-off: Open p1, SetFlag, Open p2, SetFlagFlip: on demand only through the race.
    ChangeOnDemand: reached(4),
  },
  'ebusy-block-new-mappings': {
    // Jan Kara, 003, 2017-09-08: "We just have to be sure to block new mappings of the file while switching the flag":
    // ->mmap waits for the design's lock from check to flip, so no VMA outlives the mode it was set up for; and "we can
    // serialize against IO in progress": read and write choose their path under the I/O lock.
    NoMixedMappings: holds,
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: holds,
    MkwriteServedAsStarted: holds,
    SDaxStableWhileInUse: violated(3), // rule; open files are allowed ("open file handles don't matter")
    SDaxStableUnderOtherUsers: violated(4), // rule
    ReadSeesLastWrite: holds,
    ...flipGoals(3, 4),
    FlagChangedWhileMapped: vacuous, // -EBUSY with the lock: a mapping never outlives its mode
  },
  'set-only-on-empty-file': {
    // Ted Ts'o, 003, 2017-09-08T15:39, with clearing refused (Ross Zwisler's option 2): the rule never checks existing
    // mappings. Open(O_RDONLY) the empty file, Mmap (page-cache VMA), SetFlag(1) (empty, one O_RDONLY opener: passes),
    // Open(O_RDWR) p2, SetFlagFlip, Mmap p2 (DAX VMA): both kinds of VMA on one file.
    NoMixedMappings: violated(6),
    StatxTellsTheTruth: holds, // faults follow IS_DAX after the flush, as in flip-on-ioctl
    // The same start, then Write p2 (DAX path), WriteData p2 (the file grows), PageFault(read) p1: a pfn in p1's
    // page-cache VMA.
    FaultFollowsMapping: violated(8),
    MkwriteServedAsStarted: holds,
    SDaxStableWhileInUse: violated(3), // rule; Open(O_RDONLY) on the empty file, SetFlag, SetFlagFlip
    SDaxStableUnderOtherUsers: violated(4), // rule; Open(O_RDONLY), Mmap the empty file, SetFlag, SetFlagFlip
    // Open(O_RDONLY) p1, SetFlag(1), Open p2, Write p2 (buffered chosen), SetFlagFlip, WriteData p2, Read p1: the write
    // race of flip-on-ioctl, through the other process the rule counted before it opened.
    ReadSeesLastWrite: violated(7),
    ...flipGoals(3, 4),
  },
  'per-mapping': {
    // Dave Chinner, 003, 2017-09-07T23:25, without the -EBUSY he asked for alongside. Open p1, Open p2, Mmap p1
    // (page-cache VMA), SetFlag(1), Mmap p2 (DAX VMA): both kinds on one file.
    NoMixedMappings: violated(5),
    // Open, Mmap (page-cache VMA), SetFlag(1): statx says DAX, the next fault of that VMA goes to the page cache.
    StatxTellsTheTruth: violated(3),
    FaultFollowsMapping: holds, // by construction: the fault asks the VMA
    MkwriteServedAsStarted: holds, // so does page_mkwrite / pfn_mkwrite
    SDaxStableWhileInUse: violated(2), // rule
    SDaxStableUnderOtherUsers: violated(3), // rule; Open p1, Open p2, SetFlag
    // Open, Mmap (page cache), SetFlag(1), PageFault(write) dirties a page, Read(2) goes to DAX and reads stale storage.
    ReadSeesLastWrite: violated(5),
    ...flipGoals(2, 3),
  },
  'per-mapping-ebusy': {
    // Dave Chinner's whole proposal, 23:25 ("Combine that with -EBUSY when there are active mappings"), with the kernel's
    // locks only: Open p1, Open p2, SetFlag(1) (check passes), Mmap p1 (page-cache VMA), SetFlagFlip, Mmap p2 (DAX VMA).
    // Jan Kara's lock (ebusy-block-new-mappings) is what it lacks.
    NoMixedMappings: violated(6),
    // Open, SetFlag(1) (check passes), Mmap (page-cache VMA), SetFlagFlip: the VMA will fault to the page cache, statx says DAX.
    StatxTellsTheTruth: violated(4),
    FaultFollowsMapping: holds, // by construction
    MkwriteServedAsStarted: holds,
    SDaxStableWhileInUse: violated(3), // rule; the caller's fd
    SDaxStableUnderOtherUsers: violated(4), // rule; other open files are not refused
    // Open, SetFlag(1), Write (buffered chosen), SetFlagFlip, WriteData, Read(2) through DAX: stale (the page-cache VMA
    // route, Mmap between check and flip then PageFault(write), is as long).
    ReadSeesLastWrite: violated(6),
    ...flipGoals(3, 4),
  },
  'instantiate-only': {
    // What landed (5.8 + 5.11 fixes; Andreas Dilger's idea, 003, 21:26): S_DAX is fixed for the life of the in-core
    // inode, so nothing can mix, no fault can go the wrong way, and statx tells the truth (cut atomic: exact here).
    NoMixedMappings: holds,
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: holds,
    MkwriteServedAsStarted: holds,
    SDaxStableWhileInUse: holds, // rule: the one it is built on
    SDaxStableUnderOtherUsers: holds,
    // iput_final writes a dirty I_DONTCACHE inode back before eviction (88149082bb8e; xfstests generic/608).
    ReadSeesLastWrite: holds,
    NoSpuriousDontCache: holds, // ext4_dax_dontcache marks only when the flag bit really changes
    // The mark evicts at the last close (77573fa310d9), so the next open instantiates the new mode: dax.rst item 6.
    NewModeAfterLastClose: holds,
    // ModeConverges: The last close of a marked inode evicts it in the same step (iput_final), so a stale, unused inode is never left cached.
    ModeConverges: holds,
    DaxMappingLive: reached(3),
    PcMappingLive: reached(3),
    FlagChangedWhileMapped: reached(3), // Open, Mmap, SetFlag: allowed, S_DAX untouched
    // Open, SetFlag(1) (marked), Close (last reference: evicted), Open (S_DAX=1).
    ReinstantiatedOtherMode: reached(4),
    SDaxChanged: reached(4),
    // Trade-off given up: never on demand. Dave Chinner, 003, 2017-09-07T22:12: "an awful admin interface - it can't be
    // done on demand".
    ChangeOnDemand: vacuous,
    // Trade-off: Open, SetFlag(1): the flag is set, S_DAX is not, and statx shows it (Ross Zwisler's (a), 21:51).
    FlagSetNotYetInEffect: reached(2),
    DontCacheMarked: reached(2), // Open, SetFlag
  },
  'instantiate-only-5.10': {
    // What landed, with the dcache and iput_final of 5.8-5.10 (spec/dax/dcache-5.10.ts). S_DAX still changes only at
    // iget, so the mapping rows are instantiate-only's.
    NoMixedMappings: holds,
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: holds,
    MkwriteServedAsStarted: holds,
    SDaxStableWhileInUse: holds,
    SDaxStableUnderOtherUsers: holds,
    // Open, SetFlag(1) (marked), Write (a dirty page), Close: generic_drop_inode says drop for I_DONTCACHE, iput_final
    // skips write_inode_now, evict truncates the page cache; Open, Read: the old data (before 88149082bb8e).
    ReadSeesLastWrite: violated(6),
    NoSpuriousDontCache: holds,
    // Statx, Statx (the dentry's second dput to zero: DCACHE_REFERENCED), Open, SetFlag(1), Close: fast_dput keeps the
    // REFERENCED dentry without looking at DCACHE_DONTCACHE; Open: the old inode, S_DAX 0 (before 77573fa310d9).
    NewModeAfterLastClose: violated(6),
    // The same without the last open: the stale inode stays cached forever (only reclaim, which is not fair, evicts it).
    ModeConverges: violated(5),
    DaxMappingLive: reached(3),
    PcMappingLive: reached(3),
    FlagChangedWhileMapped: reached(3),
    ReinstantiatedOtherMode: reached(4), // a dentry that was never retained still dies at the first close
    SDaxChanged: reached(4),
    ChangeOnDemand: vacuous,
    FlagSetNotYetInEffect: reached(2),
    DontCacheMarked: reached(2),
  },
  'xfs-v4.13-mount-dax': {
    // -o dax: every file DAX at iget; the ioctl sets S_DAX from the requested flag. Open, Mmap (a DAX VMA), SetFlag(0)
    // on a file whose flag is already 0 (the request is compared with IS_DAX), PageFault: a page in a DAX VMA.
    NoMixedMappings: violated(4),
    StatxTellsTheTruth: holds, // faults ask IS_DAX, and statx reports it
    FaultFollowsMapping: violated(4),
    // Open p1, Open p2, Mmap, SetFlag(0), PageFault(read) (a page), PageFault(write) -> page_mkwrite, SetFlag(1) by p2,
    // FaultHandler: DAX path with a vmf set up for a page (one step more than flip-on-ioctl: a DAX file first goes to the page cache).
    MkwriteServedAsStarted: violated(8),
    SDaxStableWhileInUse: violated(2), // Open, SetFlag(0)
    SDaxStableUnderOtherUsers: violated(3),
    // Open p1, Open p2, SetFlag(0), Write (buffered chosen), SetFlag(1) by p2, WriteData, Read through DAX.
    ReadSeesLastWrite: violated(7),
    NoSpuriousDontCache: vacuous, // nothing marks
    // Open, SetFlag(0), Close, Open: the mount says DAX, the cached inode is still page cache (until reclaim).
    NewModeAfterLastClose: violated(4),
    ModeConverges: violated(3),
    DaxMappingLive: reached(3),
    PcMappingLive: reached(4), // Open, SetFlag(0), Mmap, PageFault
    FlagChangedWhileMapped: reached(3),
    ReinstantiatedOtherMode: vacuous, // nothing evicts at a last reference; reclaim counts as `otherwise`
    SDaxChanged: reached(2),
    ChangeOnDemand: reached(3),
    FlagSetNotYetInEffect: reached(2), // Open, SetFlag(0): the mount asks for DAX, S_DAX is 0
    DontCacheMarked: vacuous,
  },
  'virtiofs-v3-isdax-bug': {
    // S_DAX is set only in fuse_iget on virtiofs, in every design: the data side is safe (cut atomic: exact).
    NoMixedMappings: holds,
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: holds,
    MkwriteServedAsStarted: holds,
    SDaxStableWhileInUse: holds,
    SDaxStableUnderOtherUsers: holds,
    ReadSeesLastWrite: holds,
    // The bug's own cell: the first lookup of a DAX file: IS_DAX is 8192, FUSE_ATTR_DAX is 1, so fuse_change_attributes
    // marks it. v5/v6 covers, 002, "changes since v3": s/IS_DAX(inode) != newdax/!!IS_DAX(inode) != newdax/.
    NoSpuriousDontCache: violated(1),
    // Not the v3 bug: the cache=always limitation every virtiofs design shares (Jeffle Xu, 002, 2021-10-20), the same
    // four steps as virtiofs-v6 (Open, SetFlag(1) -> FUSE_IOCTL, Close, Open: nothing refreshed FUSE_ATTR_DAX). Under
    // cache=none (below) it holds, so the bug costs only wasted evictions.
    NewModeAfterLastClose: violated(4),
    // ModeConverges: Open (FUSE_ATTR_DAX=0), SetFlag(1) forwarded, Close: under cache=always nothing asks the server again; the lasso stutters there.
    ModeConverges: violated(3),
    DaxMappingLive: reached(3),
    PcMappingLive: reached(3),
    FlagChangedWhileMapped: reached(3), // Open, Mmap, SetFlag on a big file: the server's answer changes
    // Open a small file (S_DAX 0), Write past 32 KiB (attributes invalidated), Close, Statx: FUSE_GETATTR brings
    // FUSE_ATTR_DAX=1, fuse_change_attributes marks inode and dentry, and statx's dput evicts; Open: DAX. The bug's
    // mark at fuse_iget alone never evicts (it lands before fuse_lookup splices the dentry, design note P9).
    ReinstantiatedOtherMode: reached(5),
    SDaxChanged: reached(5),
    ChangeOnDemand: vacuous, // trade-off: S_DAX changes only at fuse_iget
    // Trade-off: Open a big file, SetFlag(1): the server now says DAX, the inode is not.
    FlagSetNotYetInEffect: reached(2),
    DontCacheMarked: reached(1),
  },
  'virtiofs-v6': {
    NoMixedMappings: holds,
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: holds,
    MkwriteServedAsStarted: holds,
    SDaxStableWhileInUse: holds,
    SDaxStableUnderOtherUsers: holds,
    ReadSeesLastWrite: holds,
    // Under cache=always only a FUSE_GETATTR after a write reaches fuse_dax_dontcache again, and it marks only a real
    // change (v6 cover item 2: "indeed changes").
    NoSpuriousDontCache: holds,
    // The limitation itself. Jeffle Xu, 002, 2021-10-20: "if '-o cache=always' is set ... the DAX state won't be
    // updated for a long time": Open, SetFlag(1) -> FUSE_IOCTL, Close, Open: no request asked the server again.
    NewModeAfterLastClose: violated(4),
    // ModeConverges: The same lasso: v6 marks only on a revalidation, and under cache=always there is none (Jeffle Xu, 002, 2021-10-20).
    ModeConverges: violated(3),
    DaxMappingLive: reached(3),
    PcMappingLive: reached(3),
    FlagChangedWhileMapped: reached(3),
    // The way around it the attributes give: Open, Write past 32 KiB (fuse_write_update_attr invalidates the
    // attributes), Close, Statx (FUSE_GETATTR: FUSE_ATTR_DAX=1, marked, evicted at statx's dput), Open: DAX.
    ReinstantiatedOtherMode: reached(5),
    SDaxChanged: reached(5),
    ChangeOnDemand: vacuous,
    FlagSetNotYetInEffect: reached(2),
    DontCacheMarked: reached(3), // Open, Write past 32 KiB, Statx
  },
  'virtiofs-dontcache-at-ioctl': {
    NoMixedMappings: holds,
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: holds,
    MkwriteServedAsStarted: holds,
    SDaxStableWhileInUse: holds,
    SDaxStableUnderOtherUsers: holds,
    ReadSeesLastWrite: holds,
    // Open a small file, SetFlag(1): marked, but the server keeps DAX off below 32 KiB. Jeffle Xu's objection,
    // 002, 2021-10-20: "the previous eviction is totally wasted".
    NoSpuriousDontCache: violated(2),
    // Vivek Goyal's fix covers the guest's ioctl only: Open, Write past 32 KiB (the server's answer changes),
    // Close (dentry kept), Open (old S_DAX). The cache=always limitation again, by another route.
    NewModeAfterLastClose: violated(4),
    // ModeConverges: Open, a write past 32 KiB (the server's answer changes with no ioctl to mark), Close: stale forever.
    ModeConverges: violated(3),
    DaxMappingLive: reached(3),
    PcMappingLive: reached(3),
    FlagChangedWhileMapped: reached(3),
    // Open, SetFlag(1) (marked), Close (evicted despite cache=always), Open: Vivek Goyal, 002, 2021-10-20.
    ReinstantiatedOtherMode: reached(4),
    SDaxChanged: reached(4),
    ChangeOnDemand: vacuous,
    FlagSetNotYetInEffect: reached(2),
    DontCacheMarked: reached(2),
  },
};

describe('daxcheck matrix dax', () => {
  it('prints the expected verdict for every design and property at the default sizes, each search complete', () => {
    const { table, matrix } = verdicts();
    expect(table).toEqual(expected);
    for (const r of matrix.runs) expect(r.complete, r.design).toBe(true);
  });

  it('virtiofs under the other cache= modes and server policies', () => {
    const v = ['virtiofs-v3-isdax-bug', 'virtiofs-v6', 'virtiofs-dontcache-at-ioctl'];
    const cols = ['NoSpuriousDontCache', 'NewModeAfterLastClose', 'ReinstantiatedOtherMode', 'DontCacheMarked'];
    const pick = (constants: Record<string, string>) => {
      const { table } = verdicts(constants, v);
      return Object.fromEntries(v.map((d) => [d, Object.fromEntries(cols.map((c) => [c, table[d]![c]]))]));
    };
    // cache=auto (virtiofsd's default): the timeout ends the limitation, and v6's marks are all real.
    expect(pick({ cache: 'auto' })).toEqual({
      // The bug still marks at the first lookup; a timed-out dentry dies at the last close, so the mode changes.
      'virtiofs-v3-isdax-bug': { NoSpuriousDontCache: violated(1), NewModeAfterLastClose: violated(4), ReinstantiatedOtherMode: reached(5), DontCacheMarked: reached(1) },
      // Marks only on a real change (v6 cover item 2); a close within the timeout still reuses the inode (4 steps),
      // the one after it does not: Open, SetFlag, Timeout, Close -> Evict, Open (Jeffle Xu, 002, 2021-10-20: "when
      // dentry is timed out and a new FUSE_LOOKUP is requested").
      'virtiofs-v6': { NoSpuriousDontCache: holds, NewModeAfterLastClose: violated(4), ReinstantiatedOtherMode: reached(5), DontCacheMarked: reached(3) },
      'virtiofs-dontcache-at-ioctl': { NoSpuriousDontCache: violated(2), NewModeAfterLastClose: violated(4), ReinstantiatedOtherMode: reached(4), DontCacheMarked: reached(2) },
    });
    // cache=none: every last close drops the expired dentry and evicts (Vivek Goyal, v2: "In cache=none mode we
    // should get rid of inode ASAP"), so every design delivers the new mode at the next open.
    expect(pick({ cache: 'none' })).toEqual({
      'virtiofs-v3-isdax-bug': { NoSpuriousDontCache: violated(1), NewModeAfterLastClose: holds, ReinstantiatedOtherMode: reached(4), DontCacheMarked: reached(1) },
      'virtiofs-v6': { NoSpuriousDontCache: holds, NewModeAfterLastClose: holds, ReinstantiatedOtherMode: reached(4), DontCacheMarked: reached(3) },
      'virtiofs-dontcache-at-ioctl': { NoSpuriousDontCache: violated(2), NewModeAfterLastClose: holds, ReinstantiatedOtherMode: reached(4), DontCacheMarked: reached(2) },
    });
    // A server that follows the flag: Vivek Goyal's alternative marks only real changes and fixes the limitation;
    // v6 gets there only when a write invalidates the attributes and a statx asks again (Open, SetFlag, Write, Statx,
    // Close, Open).
    expect(pick({ policy: 'flag' })).toEqual({
      'virtiofs-v3-isdax-bug': { NoSpuriousDontCache: violated(1), NewModeAfterLastClose: violated(4), ReinstantiatedOtherMode: reached(6), DontCacheMarked: reached(1) },
      'virtiofs-v6': { NoSpuriousDontCache: holds, NewModeAfterLastClose: violated(4), ReinstantiatedOtherMode: reached(6), DontCacheMarked: reached(4) },
      'virtiofs-dontcache-at-ioctl': { NoSpuriousDontCache: holds, NewModeAfterLastClose: holds, ReinstantiatedOtherMode: reached(4), DontCacheMarked: reached(2) },
    });
  });

  it('dax=always and dax=never leave nothing to switch: every pass is vacuous (design note pitfall P2)', () => {
    for (const mount of ['always', 'never']) {
      const { table } = verdicts({ mount }, ['flip-on-ioctl', 'instantiate-only', 'virtiofs-v6']);
      for (const row of Object.values(table)) {
        for (const [p, cell] of Object.entries(row)) if (!p.endsWith('Live')) expect(cell, `${mount} ${p}`).toBe(vacuous);
      }
    }
  });
});

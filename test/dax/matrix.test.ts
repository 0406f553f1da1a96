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

const expected: Record<string, Row> = {
  'flip-without-flush': {
    // Open (S_DAX=0), Mmap: a page-cache VMA; SetFlag(1) flips S_DAX and unmaps nothing; PageFault(read) maps a pfn
    // into it. Ross Zwisler, 003, 2017-09-07T21:51: "one mapping to page cache, and one to DAX".
    NoMixedMappings: violated(4),
    // Open, Mmap, PageFault(read) leaves a page-cache PTE, SetFlag(1): statx says DAX over a page-cache PTE.
    // Ross Zwisler, 21:51: "a good way of letting the user detect".
    StatxTellsTheTruth: violated(4),
    // The NoMixedMappings steps: the fault takes the DAX path in a VMA set up without VM_MIXEDMAP.
    // Dave Chinner, 003, 23:25: "sending a racing page fault down the wrong path".
    FaultFollowsMapping: violated(4),
    // Open, SetFlag: S_DAX flips under the caller's own open file. Andreas Dilger, 003, 21:26.
    SDaxStableWhileInUse: violated(2),
    // Open p1, Open p2, SetFlag by p1: it flips under another process's open file too.
    SDaxStableUnderOtherUsers: violated(3),
    // Open, Write (a dirty page, storage stale), SetFlag(1), Read through DAX returns the stale storage.
    // Andreas Dilger, 21:26: "enabling/disabling S_DAX on an inode that already has dirty data".
    ReadSeesLastWrite: violated(4),
    // Nothing is ever marked I_DONTCACHE in a flip design.
    NoSpuriousDontCache: vacuous,
    // The flip is immediate, so the next open always has the new mode.
    NewModeAfterLastClose: holds,
    // ModeConverges: S_DAX follows the flag at the ioctl (or the ioctl is refused), so no inode is ever left stale: the trigger is never reached.
    ModeConverges: vacuous,
    // Open (flag set), Mmap, PageFault.
    DaxMappingLive: reached(3),
    // Open (flag clear), Mmap, PageFault.
    PcMappingLive: reached(3),
    // Open, Mmap, SetFlag: nothing refuses a change under a mapping.
    FlagChangedWhileMapped: reached(3),
    // S_DAX already follows the flag, so a new inode is instantiated in the mode the old one had.
    ReinstantiatedOtherMode: vacuous,
    // Open, SetFlag.
    SDaxChanged: reached(2),
    // No design of 2017 marks anything.
    DontCacheMarked: vacuous,
  },
  'flip-on-ioctl': {
    // xfs <= v4.13 writes back and zaps PTEs, but the VMA keeps its page-cache setup: Open, Mmap, SetFlag(1),
    // PageFault(read) puts a pfn in it. Eric Sandeen, 003, 2017-09-06: "its habit of crashing the kernel".
    NoMixedMappings: violated(4),
    // The refault follows IS_DAX and the flush left one copy, so statx is right; the lie is the VMA's setup (next column).
    StatxTellsTheTruth: holds,
    // The same four steps. Dave Chinner, 003, 23:25.
    FaultFollowsMapping: violated(4),
    // Open, SetFlag: flipped under the caller's fd. Andreas Dilger, 21:26.
    SDaxStableWhileInUse: violated(2),
    // Open p1, Open p2, SetFlag: flipped under another process's open file (and a mapping would not stop it either).
    SDaxStableUnderOtherUsers: violated(3),
    // filemap_write_and_wait + invalidate_inode_pages2 leave one coherent copy with atomic steps (the design note's
    // SPLIT_FAULTS race is not modelled).
    ReadSeesLastWrite: holds,
    NoSpuriousDontCache: vacuous, // never marks
    NewModeAfterLastClose: holds, // immediate flip
    // ModeConverges: S_DAX follows the flag at the ioctl (or the ioctl is refused), so no inode is ever left stale: the trigger is never reached.
    ModeConverges: vacuous,
    DaxMappingLive: reached(3),
    PcMappingLive: reached(3),
    FlagChangedWhileMapped: reached(3), // no -EBUSY
    ReinstantiatedOtherMode: vacuous, // S_DAX already follows the flag
    SDaxChanged: reached(2),
    DontCacheMarked: vacuous,
  },
  'ebusy-while-mapped': {
    // S_DAX flips only with no VMA, after flush and invalidate: Jan Kara, 003, 2017-09-11 ("whenever
    // inode->i_mapping->i_mmap RB tree is empty").
    NoMixedMappings: holds,
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: holds,
    // Open, SetFlag: open files are allowed, the caller's included. Dave Chinner, 23:25: "You have to have an open fd".
    SDaxStableWhileInUse: violated(2),
    // Open p1, Open p2, SetFlag: another process's open file is allowed too (Jan Kara: "open file handles don't matter").
    SDaxStableUnderOtherUsers: violated(3),
    ReadSeesLastWrite: holds,
    NoSpuriousDontCache: vacuous,
    NewModeAfterLastClose: holds,
    // ModeConverges: S_DAX follows the flag at the ioctl (or the ioctl is refused), so no inode is ever left stale: the trigger is never reached.
    ModeConverges: vacuous,
    DaxMappingLive: reached(3),
    PcMappingLive: reached(3),
    // -EBUSY is the point: a mapping never outlives the mode it was set up for.
    FlagChangedWhileMapped: vacuous,
    ReinstantiatedOtherMode: vacuous,
    SDaxChanged: reached(2),
    DontCacheMarked: vacuous,
  },
  'ebusy-while-open': {
    // As ebusy-while-mapped. Ross Zwisler, 003, 2017-09-07T22:19, option 1.
    NoMixedMappings: holds,
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: holds,
    // Only through the caller's own fd, which the ioctl needs (Dave Chinner, 23:25).
    SDaxStableWhileInUse: violated(2),
    // Nobody else has it open or mapped: the one flip design where S_DAX never changes under another user.
    SDaxStableUnderOtherUsers: holds,
    ReadSeesLastWrite: holds,
    NoSpuriousDontCache: vacuous,
    NewModeAfterLastClose: holds,
    // ModeConverges: S_DAX follows the flag at the ioctl (or the ioctl is refused), so no inode is ever left stale: the trigger is never reached.
    ModeConverges: vacuous,
    DaxMappingLive: reached(3),
    PcMappingLive: reached(3),
    FlagChangedWhileMapped: vacuous, // -EBUSY
    ReinstantiatedOtherMode: vacuous,
    SDaxChanged: reached(2),
    DontCacheMarked: vacuous,
  },
  'set-only-on-empty-file': {
    // Ted Ts'o, 003, 2017-09-08T15:39, read literally: only *setting* is restricted and mappings are not checked.
    // Open (flag set, empty file), Mmap (DAX VMA), SetFlag(0) is allowed, Write(2) dirties a page-cache page.
    NoMixedMappings: violated(4),
    StatxTellsTheTruth: holds, // faults follow IS_DAX after the flush, as in flip-on-ioctl
    // Open (flag set), Mmap (DAX VMA), SetFlag(0), PageFault(read): a page-cache page in the DAX VMA.
    FaultFollowsMapping: violated(4),
    SDaxStableWhileInUse: violated(2), // Open(O_RDONLY) on the empty file, SetFlag(1)
    SDaxStableUnderOtherUsers: violated(3), // Open(O_RDONLY), Mmap the empty file, SetFlag(1)
    ReadSeesLastWrite: holds, // flush and invalidate as flip-on-ioctl
    NoSpuriousDontCache: vacuous,
    NewModeAfterLastClose: holds,
    // ModeConverges: S_DAX follows the flag at the ioctl (or the ioctl is refused), so no inode is ever left stale: the trigger is never reached.
    ModeConverges: vacuous,
    DaxMappingLive: reached(3),
    PcMappingLive: reached(3),
    FlagChangedWhileMapped: reached(3), // an empty file can be mapped, and clearing is free
    ReinstantiatedOtherMode: vacuous,
    SDaxChanged: reached(2),
    DontCacheMarked: vacuous,
  },
  'per-mapping': {
    // Dave Chinner, 003, 2017-09-07T23:25, without the -EBUSY he asked for alongside. Open (flag set), Mmap (DAX VMA),
    // SetFlag(0), Write(2) through the page cache: a dirty page beside a DAX VMA.
    NoMixedMappings: violated(4),
    // Open, Mmap (page-cache VMA), SetFlag(1): statx says DAX, the next fault of that VMA goes to the page cache.
    StatxTellsTheTruth: violated(3),
    // By construction: the fault asks the VMA.
    FaultFollowsMapping: holds,
    SDaxStableWhileInUse: violated(2),
    SDaxStableUnderOtherUsers: violated(3), // Open p1, Open p2, SetFlag
    // Open, Mmap (page cache), SetFlag(1), PageFault(write) dirties a page, Read(2) goes to DAX and reads stale storage.
    ReadSeesLastWrite: violated(5),
    NoSpuriousDontCache: vacuous,
    NewModeAfterLastClose: holds,
    // ModeConverges: S_DAX follows the flag at the ioctl (or the ioctl is refused), so no inode is ever left stale: the trigger is never reached.
    ModeConverges: vacuous,
    DaxMappingLive: reached(3),
    PcMappingLive: reached(3),
    FlagChangedWhileMapped: reached(3),
    ReinstantiatedOtherMode: vacuous,
    SDaxChanged: reached(2),
    DontCacheMarked: vacuous,
  },
  'per-mapping-ebusy': {
    // Dave Chinner's whole proposal, 23:25: "Combine that with -EBUSY when there are active mappings".
    NoMixedMappings: holds,
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: holds,
    SDaxStableWhileInUse: violated(2), // the caller's fd
    SDaxStableUnderOtherUsers: violated(3), // other open files are not refused
    ReadSeesLastWrite: holds,
    NoSpuriousDontCache: vacuous,
    NewModeAfterLastClose: holds,
    // ModeConverges: S_DAX follows the flag at the ioctl (or the ioctl is refused), so no inode is ever left stale: the trigger is never reached.
    ModeConverges: vacuous,
    DaxMappingLive: reached(3),
    PcMappingLive: reached(3),
    FlagChangedWhileMapped: vacuous, // -EBUSY
    ReinstantiatedOtherMode: vacuous,
    SDaxChanged: reached(2),
    DontCacheMarked: vacuous,
  },
  'instantiate-only': {
    // What landed (5.8 + 5.11 fixes; Andreas Dilger's idea, 003, 21:26): S_DAX is fixed for the life of the in-core
    // inode, so nothing can mix, no fault can go the wrong way, and statx tells the truth.
    NoMixedMappings: holds,
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: holds,
    SDaxStableWhileInUse: holds,
    SDaxStableUnderOtherUsers: holds,
    // iput_final writes a dirty I_DONTCACHE inode back before eviction (88149082bb8e; xfstests generic/608).
    ReadSeesLastWrite: holds,
    // ext4_dax_dontcache marks only when the flag bit really changes.
    NoSpuriousDontCache: holds,
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
    DontCacheMarked: reached(2), // Open, SetFlag
  },
  'virtiofs-v3-isdax-bug': {
    // S_DAX is set only in fuse_iget on virtiofs, in every design: the data side is safe.
    NoMixedMappings: holds,
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: holds,
    SDaxStableWhileInUse: holds,
    SDaxStableUnderOtherUsers: holds,
    ReadSeesLastWrite: holds,
    // The first lookup of a DAX file: IS_DAX is 8192, FUSE_ATTR_DAX is 1, so fuse_change_attributes marks it.
    // v5/v6 covers, 002, "changes since v3": s/IS_DAX(inode) != newdax/!!IS_DAX(inode) != newdax/.
    NoSpuriousDontCache: violated(1),
    // The cache=always limitation (Jeffle Xu, 002, 2021-10-20): Open, SetFlag(1) (FUSE_IOCTL), Close, Open:
    // nothing refreshed FUSE_ATTR_DAX, the dentry did not expire, the old inode is reused.
    NewModeAfterLastClose: violated(4),
    // ModeConverges: Open (FUSE_ATTR_DAX=0), SetFlag(1) forwarded, Close: under cache=always nothing asks the server again; the lasso stutters there.
    ModeConverges: violated(3),
    DaxMappingLive: reached(3),
    PcMappingLive: reached(3),
    FlagChangedWhileMapped: reached(3), // Open, Mmap, SetFlag on a big file: the server's answer changes
    // The bug's mark lands before fuse_lookup splices the dentry (design note P9), so the dentry survives the close,
    // and under cache=always nothing else evicts it.
    ReinstantiatedOtherMode: vacuous,
    SDaxChanged: reached(5), // only through DropCaches
    DontCacheMarked: reached(1),
  },
  'virtiofs-v6': {
    NoMixedMappings: holds,
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: holds,
    SDaxStableWhileInUse: holds,
    SDaxStableUnderOtherUsers: holds,
    ReadSeesLastWrite: holds,
    // Under cache=always no lookup or getattr ever reaches fuse_dax_dontcache after the first: nothing is marked
    // (it holds under cache=auto and none: see below).
    NoSpuriousDontCache: vacuous,
    // The limitation itself. Jeffle Xu, 002, 2021-10-20: "if '-o cache=always' is set ... the DAX state won't be
    // updated for a long time".
    NewModeAfterLastClose: violated(4),
    // ModeConverges: The same lasso: v6 marks only on a revalidation, and under cache=always there is none (Jeffle Xu, 002, 2021-10-20).
    ModeConverges: violated(3),
    DaxMappingLive: reached(3),
    PcMappingLive: reached(3),
    FlagChangedWhileMapped: reached(3),
    // Never by closing, only by reclaim: the limitation seen as a goal.
    ReinstantiatedOtherMode: vacuous,
    SDaxChanged: reached(5), // Open, SetFlag, Close, DropCaches, Open
    DontCacheMarked: vacuous,
  },
  'virtiofs-dontcache-at-ioctl': {
    NoMixedMappings: holds,
    StatxTellsTheTruth: holds,
    FaultFollowsMapping: holds,
    SDaxStableWhileInUse: holds,
    SDaxStableUnderOtherUsers: holds,
    ReadSeesLastWrite: holds,
    // Open a small file, SetFlag(1): marked, but the server keeps DAX off below 32 KiB. Jeffle Xu's objection,
    // 002, 2021-10-20: "the previous eviction is totally wasted".
    NoSpuriousDontCache: violated(2),
    // Vivek Goyal's fix covers the guest's ioctl only: Open, Write past 32 KiB (the server's answer changes),
    // Close (dentry kept), Open (old S_DAX).
    NewModeAfterLastClose: violated(4),
    // ModeConverges: Open, a write past 32 KiB (the server's answer changes with no ioctl to mark), Close: stale forever.
    ModeConverges: violated(3),
    DaxMappingLive: reached(3),
    PcMappingLive: reached(3),
    FlagChangedWhileMapped: reached(3),
    // Open, SetFlag(1) (marked), Close (evicted despite cache=always), Open: Vivek Goyal, 002, 2021-10-20.
    ReinstantiatedOtherMode: reached(4),
    SDaxChanged: reached(4),
    DontCacheMarked: reached(2),
  },
};

describe('daxcheck matrix dax', () => {
  it('prints the expected verdict for every design and property at the default sizes, well within the time budget', () => {
    const { table, matrix } = verdicts();
    expect(table).toEqual(expected);
    for (const r of matrix.runs) expect(r.complete, r.design).toBe(true);
    expect(matrix.seconds).toBeLessThan(20);
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
      'virtiofs-v6': { NoSpuriousDontCache: holds, NewModeAfterLastClose: violated(4), ReinstantiatedOtherMode: reached(5), DontCacheMarked: reached(4) },
      'virtiofs-dontcache-at-ioctl': { NoSpuriousDontCache: violated(2), NewModeAfterLastClose: violated(4), ReinstantiatedOtherMode: reached(4), DontCacheMarked: reached(2) },
    });
    // cache=none: every last close drops the expired dentry and evicts (Vivek Goyal, v2: "In cache=none mode we
    // should get rid of inode ASAP"), so every design delivers the new mode at the next open.
    expect(pick({ cache: 'none' })).toEqual({
      'virtiofs-v3-isdax-bug': { NoSpuriousDontCache: violated(1), NewModeAfterLastClose: holds, ReinstantiatedOtherMode: reached(4), DontCacheMarked: reached(1) },
      'virtiofs-v6': { NoSpuriousDontCache: holds, NewModeAfterLastClose: holds, ReinstantiatedOtherMode: reached(4), DontCacheMarked: reached(3) },
      'virtiofs-dontcache-at-ioctl': { NoSpuriousDontCache: violated(2), NewModeAfterLastClose: holds, ReinstantiatedOtherMode: reached(4), DontCacheMarked: reached(2) },
    });
    // A server that follows the flag: Vivek Goyal's alternative marks only real changes and fixes the limitation.
    expect(pick({ policy: 'flag' })).toEqual({
      'virtiofs-v3-isdax-bug': { NoSpuriousDontCache: violated(1), NewModeAfterLastClose: violated(4), ReinstantiatedOtherMode: vacuous, DontCacheMarked: reached(1) },
      'virtiofs-v6': { NoSpuriousDontCache: vacuous, NewModeAfterLastClose: violated(4), ReinstantiatedOtherMode: vacuous, DontCacheMarked: vacuous },
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

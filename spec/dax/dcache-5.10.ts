// The dcache and iput_final as they were from 5.8 to 5.10, before Hao Li's two
// fixes pulled for 5.11 (Al Viro's work.misc, 2020-12; xfstests generic/608
// tests both). Read at v5.10 (fs/dcache.c, fs/inode.c, include/linux/fs.h).
//
// - 77573fa310d9 "fs: Kill DCACHE_DONTCACHE dentry even if DCACHE_REFERENCED
//   is set": v5.10 fast_dput masks d_flags with DCACHE_REFERENCED |
//   DCACHE_LRU_LIST | DCACHE_DISCONNECTED and, when a hashed dentry has both
//   REFERENCED and LRU_LIST, returns at once: retain_dentry, the only place
//   that tests DCACHE_DONTCACHE, is not called. A dentry gets LRU_LIST at its
//   first dput to zero (retain_dentry -> d_lru_add) and REFERENCED at its
//   second, so a file closed twice before its flag changes keeps its dentry,
//   and so its inode and its S_DAX, after the last close ("the DAX policy
//   can't take effects unless we do a drop_caches manually", the commit
//   message). The fix adds DCACHE_DONTCACHE to the mask.
// - 88149082bb8e "fs: Handle I_DONTCACHE in iput_final() instead of
//   generic_drop_inode()": v5.10 generic_drop_inode returns true for
//   I_DONTCACHE (ext4_drop_inode and xfs_fs_drop_inode call it), so
//   iput_final takes the `drop` path, which skips write_inode_now, and evict
//   discards the dirty page cache (ext4_evict_inode and, xfs having no
//   ->evict_inode, evict itself: truncate_inode_pages_final). The fix moves
//   the I_DONTCACHE test to iput_final's keep-on-LRU condition, so the inode
//   is written back first. Fixes: dae2f8ed7992 ("fs: Lift XFS_IDONTCACHE to
//   the VFS layer", 5.8).
//
// Reclaim then: prune_dcache_sb kills every unused dentry (dentry_lru_isolate
// clears REFERENCED and rotates once), so a marked inode goes the same drop
// path, dirty or not; an unmarked one goes to the inode LRU, where v5.10
// inode_lru_isolate frees it unless it is dirty (I_DIRTY: taken off the LRU
// and kept). Its mapping's DAX entries do not keep it: v5.10 tests
// inode->i_data.nrpages, which counts no DAX entry (6.12 tests
// mapping_empty, spec/dax/actions/reclaim.ts). Left out: the dentry of an
// unmarked dirty inode pruned alone (its LRU place reset while the inode
// stays): the conformance run's drop_caches is `sync` first, which no model
// step of that kind could follow.

import { action, fName, type Ctx } from './context.js';
import type { Flavour } from './flavour.js';
import { evict, referenced } from './inode.js';
import { DentryLru, InCore, PageCache } from './state.js';

/** The 5.8-5.10 last dput and iput_final on top of the ext4/xfs flavour. */
export function dcache510(base: Flavour): Partial<Flavour> {
  return {
    // fast_dput: a REFERENCED dentry on the LRU is kept whatever DCACHE_DONTCACHE says.
    dentryDiesAtLastRef: (s, f) => s.dLru[f] !== DentryLru.referenced && base.dentryDiesAtLastRef(s, f),
    // retain_dentry: d_lru_add at the first dput to zero, DCACHE_REFERENCED at the next.
    dentryRetained: (s, f) => { if (s.dLru[f] !== DentryLru.referenced) s.dLru[f] = s.dLru[f] === DentryLru.none ? DentryLru.lru : DentryLru.referenced; },
    dontcacheEvictWritesBack: false,
  };
}

/** DropCaches as 5.10 ran it (absent with reclaim=off). */
export function dropCaches510(ctx: Ctx) {
  if (ctx.c.reclaim === 'off') return undefined;
  return action({
    params: { f: ctx.Files },
    guard: (s, { f }) => s.inode[f] === InCore.cached && !referenced(s, f, ctx.P) && (s.iDontcache[f] === 1 || s.pageCache[f] !== PageCache.dirty),
    guardDoc: 'the inode is cached and nobody has it open or mapped; it is marked I_DONTCACHE, or clean (DAX entries do not keep it in 5.10)',
    // A marked inode is dropped unwritten (generic_drop_inode); an unmarked one is clean.
    effect: (s, { f }) => evict(s, f, InCore.reclaimed, s.iDontcache[f] === 0),
    label: ({ f }) => `DropCaches ${fName(f)} → Evict ${fName(f)}`,
    source: 'v5.10 fs/dcache.c prune_dcache_sb / dentry_lru_isolate; fs/inode.c iput_final, inode_lru_isolate (i_data.nrpages); include/linux/fs.h generic_drop_inode (I_DONTCACHE)',
  });
}

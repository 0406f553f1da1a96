// Memory pressure or `echo 2 > /proc/sys/vm/drop_caches`: an unused dentry
// and its inode go, whatever their timeouts or marks, unless the inode's
// mapping is not empty after reclaim tried to empty it. For a DAX inode that
// was faulted through a mapping it never is: inode_lru_isolate
// (fs/inode.c, v6.12) finds !mapping_empty, calls invalidate_mapping_pages,
// which leaves DAX entries alone ("for DAX we do nothing", mm/truncate.c
// clear_shadow_entries, v6.12), and returns LRU_RETRY with the inode kept.
// Measured on Linux 6.12.117, ext4 and xfs: such an inode survives every
// round of drop_caches (README "Conformance").

import { action, fName, type Ctx } from '../context.js';
import { evict, referenced } from '../inode.js';
import { InCore, PageCache } from '../state.js';

/** Absent with reclaim=off. */
export function dropCaches(ctx: Ctx) {
  if (ctx.c.reclaim === 'off') return undefined;
  return action({
    params: { f: ctx.Files },
    guard: (s, { f }) => s.inode[f] === InCore.cached && !referenced(s, f, ctx.P)
      && s.pageCache[f] !== PageCache.dirty && s.daxEntries[f] === 0,
    guardDoc: 'the inode is cached, nobody has it open or mapped, it has no dirty pages and its mapping holds no DAX entries (inode_lru_isolate skips those)',
    effect: (s, { f }) => evict(s, f, InCore.reclaimed),
    label: ({ f }) => `DropCaches ${fName(f)} → Evict ${fName(f)}`,
    // inode_lru_isolate skips dirty inodes; dirty data is written back first by writeback.
    source: 'fs/drop_caches.c drop_caches_sysctl_handler; fs/dcache.c prune_dcache_sb; fs/inode.c prune_icache_sb / inode_lru_isolate; mm/truncate.c clear_shadow_entries (v6.12)',
  });
}

// Memory pressure or `echo 2 > /proc/sys/vm/drop_caches`: an unused dentry
// and its inode go, whatever their timeouts or marks.

import { action, fName, type Ctx } from '../context.js';
import { evict, referenced } from '../inode.js';
import { InCore, PageCache } from '../state.js';

/** Absent with reclaim=off. */
export function dropCaches(ctx: Ctx) {
  if (ctx.c.reclaim === 'off') return undefined;
  return action({
    params: { f: ctx.Files },
    guard: (s, { f }) => s.inode[f] === InCore.cached && !referenced(s, f, ctx.P)
      && s.pageCache[f] !== PageCache.dirty,
    guardDoc: 'the inode is cached, nobody has it open or mapped, and it has no dirty pages (inode_lru_isolate skips those)',
    effect: (s, { f }) => evict(s, f, InCore.reclaimed),
    label: ({ f }) => `DropCaches ${fName(f)} → Evict ${fName(f)}`,
    // inode_lru_isolate skips dirty inodes; dirty data is written back first by writeback.
    source: 'fs/drop_caches.c drop_caches_sysctl_handler; fs/dcache.c prune_dcache_sb; fs/inode.c prune_icache_sb / inode_lru_isolate',
  });
}

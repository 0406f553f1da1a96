// The FUSE inode's page cache, one page of it (constant keepCache=true): the
// page the programs' read(2) reads, and whether the server's data changed
// since it was read in. What moves it (fs/fuse/file.c, linux-6.12.y 6.12.19):
// - a read(2) through the page cache (fuse_cache_read_iter ->
//   generic_file_read_iter) reads a missing page in from the server and
//   returns a cached one as it is, stale or not;
// - fuse_open runs invalidate_inode_pages2 after every successful open whose
//   reply lacks FOPEN_KEEP_CACHE (caching, direct-io and passthrough opens
//   alike; actions.ts Open), so only FOPEN_KEEP_CACHE keeps stale data across
//   opens;
// - fuse_file_mmap runs invalidate_inode_pages2 before a FOPEN_DIRECT_IO
//   file's page-cache mmap (actions.ts Mmap);
// - a write that goes to the server drops the written range: FOPEN_DIRECT_IO
//   (fuse_direct_io: invalidate_inode_pages2_range) and O_DIRECT
//   (generic_file_direct_write: kiocb_invalidate_pages and
//   kiocb_invalidate_post_direct_write); the DirectIo step writes the page;
// - the server's data changes behind the kernel's back (another client, or a
//   write to the file the server serves from: a passthrough write, when the
//   server serves reads from the backing file): ServerChangesData. Without
//   FUSE_NOTIFY_INVAL_INODE (left out) the kernel is not told.
// Left out: reclaim (the VM has memory to spare, and the programs' mappings
// never fault page 0 in: they are MADV_RANDOM and are read at their last page),
// and the dio-write and woken-open paths of dioWrites > 0.

import { actionsOf, type ActionDef } from '../../../checker/model.js';
import { Errno, PageCache, ReadData, RefusedCall, type S, type Schema, type World } from '../state.js';

const action = actionsOf<Schema>();

/** Every action, with the page cache's page: the read a step returned, and what it did to the page. */
export function withPageCache<A extends Record<string, ActionDef<Schema, any>>>(w: World, actions: A): A {
  if (!w.pageCacheData) return actions;
  const out: Record<string, ActionDef<Schema, any>> = {};
  for (const [name, a] of Object.entries(actions)) {
    const fill = name === 'PageCacheIo';
    const drop = name === 'DirectIo';
    out[name] = {
      ...a,
      effect: (s: S, p: any) => {
        const before = s.pageCache;
        s.read = ReadData.none;
        const r = a.effect(s, p);
        if (r === false) return false;
        if (fill) {
          s.read = before === PageCache.stale ? ReadData.stale : ReadData.current;
          if (before === PageCache.empty) s.pageCache = PageCache.current;
        }
        if (drop) s.pageCache = PageCache.empty;
        return r;
      },
    };
  }
  return out as A;
}

export function pageCacheActions(w: World): Record<string, ActionDef<Schema, any>> {
  if (!w.pageCacheData) return {};
  const ServerChangesData = action({
    params: {},
    guard: (s) => s.pageCache === PageCache.current,
    effect: (s) => { s.refused.call = RefusedCall.none; s.refused.errno = Errno.none; s.pageCache = PageCache.stale; },
    guardDoc: 'the page is cached as the server has it; the server\'s data changes without telling the kernel (no FUSE_NOTIFY_INVAL_INODE)',
    label: () => 'ServerChangesData (the cached page is stale now)',
    source: 'fs/fuse/file.c: nothing in the read path asks the server again for a cached page (fuse_cache_read_iter, auto_inval_data off; v6.12)',
  });
  return { ServerChangesData };
}

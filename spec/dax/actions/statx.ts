// statx(2) on the file's path: the walk (a lookup or, on virtiofs, the
// revalidation of an expired dentry, which refreshes the attributes too),
// on virtiofs a FUSE_GETATTR when the attributes are not valid (a write
// invalidated them; fuseGetattr), then STATX_ATTR_DAX reported exactly when
// IS_DAX (fs/stat.c vfs_getattr_nosec; 0x00200000 since 72d1249e2ffd), then
// the walk's dput, which may be the inode's last reference. StatxTellsTheTruth
// checks the report in every state; the step shows what a user would see.
// No process is its actor: the call holds nothing of the file afterwards.

import { action, fName, type Ctx } from '../context.js';
import { evictedBy, releaseRef } from '../inode.js';
import { serverAttrDax } from '../flavour.js';
import type { S } from '../state.js';
import { Walk, walkPath, walkWords, type LookupPart } from './lookup.js';

export function statx(ctx: Ctx, lookup: LookupPart, getattr?: (s: S, f: number) => number) {
  const attrDax = serverAttrDax(ctx.c);
  // The walk found the inode cached and left its attributes as they were: statx asks the server.
  const asks = (before: S, f: number) => getattr !== undefined && lookup.walk(before, f) === Walk.cached && before.attrValid[f] === 0;
  return action({
    params: { f: ctx.Files },
    effect: (s, { f }) => {
      walkPath(lookup, s, f);
      getattr?.(s, f);
      releaseRef(s, f, ctx);
    },
    // Eviction keeps S_DAX as it was, so the state after the step still says what statx reported.
    label: ({ f }, before, after) =>
      `${walkWords(lookup, before, f)}${asks(before, f) ? `FUSE_GETATTR(FUSE_ATTR_DAX=${attrDax(before, f) ? 1 : 0}); ` : ''}`
      + `Statx ${fName(f)} → STATX_ATTR_DAX=${after.sDax[f]}${evictedBy(after, f) ? ` → Evict ${fName(f)}` : ''}`,
    source: 'fs/stat.c vfs_statx -> filename_lookup, vfs_getattr_nosec; fs/fuse/dir.c fuse_dentry_revalidate, fuse_getattr -> fuse_update_get_attr',
  });
}

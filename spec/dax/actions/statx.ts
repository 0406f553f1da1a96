// statx(2) on the file's path: the walk (a lookup or, on virtiofs, the
// revalidation of an expired dentry, which is also where the client's
// attributes are refreshed), then STATX_ATTR_DAX reported exactly when IS_DAX
// (fs/stat.c vfs_getattr_nosec; 0x00200000 since 72d1249e2ffd), then the
// walk's dput, which may be the inode's last reference. StatxTellsTheTruth
// checks the report in every state; the step shows what a user would see.

import { bool } from '../../../checker/domain.js';
import { def, fName, type Ctx } from '../context.js';
import { releaseRef } from '../inode.js';
import { Walk, type LookupPart } from './lookup.js';

export function statx(ctx: Ctx, lookup: LookupPart) {
  return def({
    // walk, attr, dax and evicts only name the step: one value of each is enabled.
    params: { f: ctx.Files, walk: Walk, attr: bool, dax: bool, evicts: bool },
    guard: (s, { f, walk, attr }) => lookup.walk(s, f) === walk && attr === (walk === Walk.cached ? 0 : lookup.attr(s, f)),
    guardDoc: 'always possible; walk and attr name the lookup it does, dax what it reports, evicts whether its dput was the last reference',
    effect: (s, { f, walk, attr, dax, evicts }) => {
      if (walk !== Walk.cached) lookup.run(s, f, walk, attr);
      if (s.sDax[f] !== dax) return false;
      return releaseRef(s, f, ctx) === (evicts === 1);
    },
    label: ({ f, walk, attr, dax, evicts }) =>
      `${walk === Walk.cached ? '' : `${lookup.words(walk, attr)}; `}Statx ${fName(f)} → STATX_ATTR_DAX=${dax}${evicts ? ` → Evict ${fName(f)}` : ''}`,
    source: 'fs/stat.c vfs_statx -> filename_lookup, vfs_getattr_nosec; fs/fuse/dir.c fuse_dentry_revalidate, fuse_getattr -> fuse_update_get_attr',
  });
}

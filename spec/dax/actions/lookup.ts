// The path walk an open does first. On a dcache miss (or, on virtiofs, an
// expired dentry) the filesystem looks the name up; a new in-core inode gets
// its S_DAX there, once. The walk and the open are one step, so nothing can
// slip between a lookup and the open it serves.

import { enumOf } from '../../../checker/domain.js';
import type { Ctx } from '../context.js';
import { instantiate } from '../inode.js';
import { InCore, type S } from '../state.js';

/** What the walk does: nothing (cached, valid dentry), read a new inode (iget), or ask the server again (revalidate). */
export const Walk = enumOf('cached', 'iget', 'revalidate');

export interface LookupPart {
  /** Which walk an open of `f` takes now. */
  readonly walk: (s: S, f: number) => number;
  /** The attribute the lookup reads and the label shows: FS_XFLAG_DAX on disk, FUSE_ATTR_DAX from the server. */
  readonly attr: (s: S, f: number) => number;
  readonly run: (s: S, f: number, walk: number, attr: number) => void;
  readonly words: (walk: number, attr: number) => string;
}

/**
 * ext4/xfs: ext4_lookup -> __ext4_iget -> ext4_set_inode_flags(inode, true)
 * (fs/ext4/inode.c, v5.8+); xfs_vn_lookup -> xfs_iget -> xfs_setup_inode ->
 * xfs_diflags_to_iflags(ip, true) (fs/xfs/xfs_iops.c, v5.8+). A cached
 * dentry is never revalidated.
 */
export function diskLookup(ctx: Ctx): LookupPart {
  return {
    walk: (s, f) => (s.inode[f] === InCore.cached ? Walk.cached : Walk.iget),
    attr: (s, f) => s.xflagDax[f]!,
    run: (s, f) => instantiate(s, f, ctx.flavour),
    words: (_walk, v) => `Lookup(FS_XFLAG_DAX=${v}) → iget`,
  };
}

/** The walk an open or statx of `f` does from state `s`: nothing, or the lookup (and the inode it reads). */
export function walkPath(lookup: LookupPart, s: S, f: number): void {
  const walk = lookup.walk(s, f);
  if (walk !== Walk.cached) lookup.run(s, f, walk, lookup.attr(s, f));
}

/** How that walk prints, read on the state before the step: empty for a cached dentry, else `Lookup(...) → iget; `. */
export function walkWords(lookup: LookupPart, before: S, f: number): string {
  const walk = lookup.walk(before, f);
  return walk === Walk.cached ? '' : `${lookup.words(walk, lookup.attr(before, f))}; `;
}

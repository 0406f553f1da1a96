// virtiofs: what the client learns from the server. FUSE_LOOKUP (a new inode,
// or the revalidation of an expired dentry) carries FUSE_ATTR_DAX and ends in
// fuse_change_attributes, where the landed code calls fuse_dax_dontcache.
// Timeouts come from virtiofsd's cache= mode, which sets the entry and the
// attribute timeouts alike (they expire together, Timeout); a write
// invalidates the attributes on its own, and a statx of a file whose
// attributes are not valid sends FUSE_GETATTR, whose reply also goes through
// fuse_change_attributes (fuseGetattr).

import type { Constants } from '../constants.js';
import { action, fName, type Ctx } from '../context.js';
import { serverAttrDax } from '../flavour.js';
import { timeoutPasses } from '../fuse-timeout.js';
import { instantiate } from '../inode.js';
import { Walk, type LookupPart } from './lookup.js';
import { InCore, type S } from '../state.js';

/** Whether fuse_change_attributes marks the inode DONTCACHE, given the FUSE_ATTR_DAX just received. */
export type DontcacheCheck = (s: S, f: number, attrDax: number) => boolean;

/**
 * As landed (v6 patch 6/7; fs/fuse/dax.c fuse_dax_dontcache, 5.17+): in an
 * inode mode, mark when S_DAX and FUSE_ATTR_DAX differ, both cast to bool.
 */
export const attrDaxDiffers = (c: Constants): DontcacheCheck =>
  (s, f, attrDax) => c.mount === 'inode' && s.sDax[f] !== attrDax;

/**
 * Jeffle Xu's v3 (fixed in v4; the v5/v6 covers, seed 002, list it under
 * "changes since v3"): `IS_DAX(inode) != newdax`. IS_DAX is i_flags & S_DAX,
 * 8192 when set (include/linux/fs.h), never 1, so a DAX inode always
 * compares unequal.
 */
export const isDaxNotEqualNewdax = (c: Constants): DontcacheCheck => {
  const S_DAX = 8192;
  return (s, f, attrDax) => c.mount === 'inode' && (s.sDax[f] ? S_DAX : 0) !== attrDax;
};

/**
 * FUSE_LOOKUP: fuse_lookup for a new inode (fuse_iget -> fuse_init_inode ->
 * fuse_dax_inode_init, then fuse_change_attributes), or fuse_dentry_revalidate
 * for an expired dentry (fuse_change_attributes on the inode it already
 * has, whose S_DAX stays). Afterwards the dentry is valid until its timeout;
 * with cache=none it is expired at once.
 */
export function fuseLookup(ctx: Ctx, dontcache: DontcacheCheck): LookupPart {
  const attrDax = serverAttrDax(ctx.c);
  const valid = ctx.c.cache === 'none' ? 0 : 1;
  return {
    walk: (s, f) => (s.inode[f] !== InCore.cached ? Walk.iget : s.entryValid[f] === 0 ? Walk.revalidate : Walk.cached),
    attr: (s, f) => (attrDax(s, f) ? 1 : 0),
    run: (s, f, walk, a) => {
      if (walk === Walk.iget) instantiate(s, f, ctx.flavour);
      if (dontcache(s, f, a)) {
        // d_mark_dontcache marks the aliases that exist now. A new inode is
        // marked inside fuse_iget, before fuse_lookup splices its dentry, so
        // only I_DONTCACHE is set (derived; design note pitfall P9).
        s.iDontcache[f] = 1;
        if (walk === Walk.revalidate) s.dDontcache[f] = 1;
      }
      s.entryValid[f] = valid;
      s.attrValid[f] = valid;
    },
    words: (walk, a) => `Lookup(FUSE_ATTR_DAX=${a}) → ${walk === Walk.iget ? 'fuse_iget' : 'revalidate'}`,
  };
}

/**
 * statx on virtiofs after its walk: fuse_getattr -> fuse_update_get_attr sends
 * FUSE_GETATTR when the attributes are not valid (fs/fuse/dir.c), and
 * fuse_change_attributes runs on the reply, with its FUSE_ATTR_DAX, as after a
 * lookup (fuse_dax_dontcache, fs/fuse/dax.c 5.17+). The dentry exists now, so
 * d_mark_dontcache marks it too. Returns the FUSE_ATTR_DAX sent, or -1 when
 * no request went out.
 */
export function fuseGetattr(ctx: Ctx, dontcache: DontcacheCheck) {
  const attrDax = serverAttrDax(ctx.c);
  const valid = ctx.c.cache === 'none' ? 0 : 1;
  return (s: S, f: number): number => {
    if (s.inode[f] !== InCore.cached || s.attrValid[f] === 1) return -1;
    const a = attrDax(s, f) ? 1 : 0;
    if (dontcache(s, f, a)) { s.iDontcache[f] = 1; s.dDontcache[f] = 1; }
    s.attrValid[f] = valid;
    return a;
  };
}

/**
 * The entry/attr timeout passes. Every timeout but zero is finite in the
 * kernel (spec/dax/fuse-timeout.ts): cache=auto's 1 s passes while the file
 * is in use, cache=always's 86400 s only with alwaysTimeout=expires, and
 * cache=none is expired from the start.
 */
export function entryTimeout(ctx: Ctx) {
  if (!timeoutPasses(ctx.c)) return undefined;
  return action({
    params: { f: ctx.Files },
    guard: (s, { f }) => s.inode[f] === InCore.cached && s.entryValid[f] === 1,
    guardDoc: 'the inode is cached and its dentry still valid',
    effect: (s, { f }) => { s.entryValid[f] = 0; s.attrValid[f] = 0; },
    label: ({ f }) => `Timeout(entry_valid, attr_valid) ${fName(f)}`,
    source: `fs/fuse/dir.c time_to_jiffies, fuse_dentry_time / fuse_change_entry_timeout; virtiofsd cache=${ctx.c.cache} (${ctx.c.cache === 'auto' ? '1 s' : '86400 s'}, src/main.rs)`,
  });
}

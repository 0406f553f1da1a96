// The operations that make and move names, with `dirs` >= 1 (spec/dax/tree.ts):
// create, mkdir, the flag ioctl on a directory, rename of a file or of a
// directory, and cp. A new inode copies its parent's FS_XFLAG_DAX and gets
// its S_DAX at once; a rename changes neither the inode's flag nor its S_DAX;
// a directory's flag changes nothing that already exists.

import { bool, type IndexSet } from '../../../checker/domain.js';
import { actionsOver } from '../../../checker/extend.js';
import type { ActionDef } from '../../../checker/model.js';
import { fName, pName, type Ctx } from '../context.js';
import { evictedBy, instantiate, releaseRef } from '../inode.js';
import { insideWriteOrFault, ioctlHolds } from '../locks.js';
import { Fd, PageCache, Size, type S } from '../state.js';
import { diskLookup, walkPath, walkWords } from './lookup.js';

/** A state of the tree (spec/dax/tree.ts): the flat one and the tree's variables. */
export type TreeS = S & {
  exists: Int32Array; parent: Int32Array; dirExists: Int32Array; dirFlag: Int32Array; dirParent: Int32Array;
};

const act = actionsOver<TreeS>();
const dName = (d: number) => `d${d + 1}`;

/** `e` is `d` or lies below it: a directory cannot be moved there (fs/namei.c do_renameat2: -EINVAL). */
export function within(s: TreeS, e: number, d: number): boolean {
  for (let x = e, hops = 0; hops <= s.dirParent.length; hops++) {
    if (x === d) return true;
    if (x === 0) return false;
    x = s.dirParent[x]!;
  }
  return false;
}

const NEW_INODE = 'fs/ext4/ialloc.c __ext4_new_inode (i_flags from the parent & EXT4_FL_INHERITED, then ext4_set_inode_flags(inode, true)); '
  + 'fs/xfs/xfs_inode.c xfs_icreate -> fs/xfs/libxfs/xfs_inode_util.c xfs_inode_init (xfs_inode_inherit_flags2: XFS_DIFLAG2_DAX), '
  + 'fs/xfs/xfs_iops.c xfs_setup_inode -> xfs_diflags_to_iflags(ip, true) (v6.12)';

/**
 * A new regular file `f` in `d`: FS_XFLAG_DAX is the directory's, the file is
 * empty, and the new in-core inode gets S_DAX from the flavour's policy now,
 * as an iget would (ext4_should_enable_dax, xfs_inode_should_enable_dax).
 */
function newFile(ctx: Ctx, s: TreeS, f: number, d: number): void {
  s.exists[f] = 1;
  s.parent[f] = d;
  s.xflagDax[f] = s.dirFlag[d]!;
  s.size[f] = Size.empty;
  instantiate(s, f, ctx.flavour);
}

export function createActions(ctx: Ctx, Dirs: IndexSet): Record<string, ActionDef<any, any>> {
  const lookup = diskLookup(ctx);
  const dirs = { d: Dirs };
  return {
    // open(O_CREAT|O_EXCL|O_RDWR): the negative lookup, ->create, and the open, one step.
    Create: act({
      params: { p: ctx.Procs, f: ctx.Files, ...dirs },
      actor: 'p',
      guard: (s, { p, f, d }) => s.exists[f] === 0 && s.dirExists[d] === 1 && !insideWriteOrFault(s, p, ctx.F),
      guardDoc: 'the file does not exist yet, the directory does; the process is not inside a write or a fault',
      effect: (s, { p, f, d }) => {
        newFile(ctx, s, f, d);
        s.fd[p]![f] = Fd.O_RDWR;
      },
      label: ({ p, f, d }, _before, after) => `Create ${pName(p)} ${fName(f)} in ${dName(d)} → FS_XFLAG_DAX=${after.xflagDax[f]} (the directory's), S_DAX=${after.sDax[f]}`,
      source: `fs/namei.c open_last_lookups -> lookup_open -> ext4_create / xfs_vn_create; ${NEW_INODE}`,
    }),

    // mkdir(2): the new directory copies its parent's flag (ext4_mask_flags keeps every inherited flag for a directory).
    Mkdir: act({
      params: { d: Dirs, e: Dirs },
      guard: (s, { d, e }) => s.dirExists[d] === 0 && s.dirExists[e] === 1,
      guardDoc: 'the directory does not exist yet, its parent does',
      effect: (s, { d, e }) => {
        s.dirExists[d] = 1;
        s.dirParent[d] = e;
        s.dirFlag[d] = s.dirFlag[e]!;
      },
      label: ({ d, e }, _before, after) => `Mkdir ${dName(d)} in ${dName(e)} → FS_XFLAG_DAX=${after.dirFlag[d]} (the parent's)`,
      source: `fs/ext4/namei.c ext4_mkdir; fs/xfs/xfs_iops.c xfs_vn_mkdir -> xfs_create; ${NEW_INODE}`,
    }),

    // FS_IOC_FSSETXATTR on the directory (opened O_RDONLY|O_DIRECTORY, then closed): only its own flag changes.
    SetDirFlag: act({
      params: { ...dirs, v: bool },
      guard: (s, { d, v }) => s.dirExists[d] === 1 && s.dirFlag[d] !== v,
      guardDoc: 'the directory exists and v changes its flag',
      effect: (s, { d, v }) => { s.dirFlag[d] = v; },
      label: ({ d, v }) => `SetDirFlag(FS_XFLAG_DAX=${v}) ${dName(d)}`,
      // Neither marks a directory DONTCACHE, and S_DAX is never set on one (ext4_should_enable_dax, xfs_inode_supports_dax: regular files only).
      source: 'fs/ext4/ioctl.c ext4_fileattr_set -> ext4_ioctl_setflags; ext4_dax_dontcache returns for S_ISDIR; '
        + 'fs/xfs/xfs_ioctl.c xfs_fileattr_set; xfs_ioctl_setattr_prepare_dax returns for S_ISDIR (v6.12); dax.rst "Summary" 3',
    }),

    // rename(2) of a file into another directory: the source name is looked up (an iget on a dcache miss),
    // d_move keeps dentry and inode, and the walk's dput may be the last reference.
    Rename: act({
      params: { f: ctx.Files, ...dirs },
      // vfs_rename takes the source's i_rwsem (lock_two_nondirectories, fs/namei.c v6.12): it waits for a flag ioctl holding it.
      guard: (s, { f, d }) => s.exists[f] === 1 && s.dirExists[d] === 1 && s.parent[f] !== d && !ioctlHolds(s, f, ctx.P),
      guardDoc: 'the file exists, the target directory exists and is another one; no flag ioctl holds the file\'s I/O lock',
      effect: (s, { f, d }) => {
        walkPath(lookup, s, f);
        s.parent[f] = d;
        releaseRef(s, f, ctx);
      },
      label: ({ f, d }, before, after) => `${walkWords(lookup, before, f)}Rename ${fName(f)} ${dName(before.parent[f]!)} → ${dName(d)}`
        + ` (FS_XFLAG_DAX=${after.xflagDax[f]}, S_DAX=${after.sDax[f]} kept)${evictedBy(after, f) ? ` → Evict ${fName(f)}` : ''}`,
      // ext4_rename and xfs_rename change no flag of the inode moved (they only refuse a move out of a
      // PROJINHERIT project with -EXDEV); d_move (fs/dcache.c) keeps the dentry and its DCACHE_DONTCACHE.
      source: 'fs/namei.c do_renameat2 -> vfs_rename -> ext4_rename2 -> ext4_rename (fs/ext4/namei.c); xfs_vn_rename -> xfs_rename (fs/xfs/xfs_inode.c); fs/dcache.c d_move (v6.12)',
    }),

    // rename(2) of a directory: it keeps its flag, and everything in it keeps theirs.
    RenameDir: act({
      params: { d: Dirs, e: Dirs },
      guard: (s, { d, e }) => d !== 0 && s.dirExists[d] === 1 && s.dirExists[e] === 1 && s.dirParent[d] !== e && !within(s, e, d),
      guardDoc: 'd is not the run\'s directory and exists; e exists, is not d\'s parent, and is not d or below it (-EINVAL)',
      effect: (s, { d, e }) => { s.dirParent[d] = e; },
      label: ({ d, e }, before) => `RenameDir ${dName(d)} ${dName(before.dirParent[d]!)} → ${dName(e)} (FS_XFLAG_DAX=${before.dirFlag[d]} kept)`,
      source: 'fs/namei.c do_renameat2 -> vfs_rename; ext4_rename (ext4_rename_dir_prepare / _finish move only "..") ; xfs_rename (v6.12)',
    }),

    // cp f g: open and read the source, create the target in d (its flag is d's: FS_XFLAG_DAX is no
    // xattr, and cp copies data, not inode flags), write the data, close both.
    Copy: act({
      params: { f: ctx.Files, g: ctx.Files, ...dirs },
      guard: (s, { f, g, d }) => f !== g && s.exists[f] === 1 && s.exists[g] === 0 && s.dirExists[d] === 1 && !ioctlHolds(s, f, ctx.P),
      guardDoc: 'the source exists, the target does not, its directory does; no flag ioctl holds the source\'s I/O lock',
      effect: (s, { f, g, d }) => {
        walkPath(lookup, s, f);
        const v = readSource(s, f);
        newFile(ctx, s, g, d);
        if (s.size[f] !== Size.empty) {
          s.size[g] = s.size[f]!;
          s.lastWrite[g] = v;
          if (s.sDax[g] === 1) s.storage[g] = v;
          else { s.pageCache[g] = PageCache.dirty; s.pageVersion[g] = v; }
        }
        releaseRef(s, f, ctx);
      },
      label: ({ f, g, d }, before, after) => `${walkWords(lookup, before, f)}Copy ${fName(f)} → ${fName(g)} in ${dName(d)}`
        + ` → FS_XFLAG_DAX=${after.xflagDax[g]} (the directory's), S_DAX=${after.sDax[g]}${evictedBy(after, f) ? ` → Evict ${fName(f)}` : ''}`,
      source: `coreutils cp (open, read, open O_CREAT, write, close); ${NEW_INODE}`,
    }),
  };
}

/** What read(2) of the whole source returns, filling its page cache on the buffered path as Read does (actions/io.ts). */
function readSource(s: S, f: number): number {
  if (s.sDax[f] === 1) return s.storage[f]!;
  if (s.pageCache[f] === PageCache.none) {
    s.pageCache[f] = PageCache.clean;
    s.pageVersion[f] = s.storage[f]!;
  }
  return s.pageVersion[f]!;
}

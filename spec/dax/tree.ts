// Directories, with `dirs=n` (n >= 1): the files live in a tree of
// directories d1..dn, d1 being the run's own directory, and are created,
// copied and moved during the run. What a directory adds is its own
// FS_XFLAG_DAX, which a file or directory created in it copies at creation
// and never again (Documentation/filesystems/dax.rst, "Summary" item 3 and
// "Details", v6.12):
//
//   ext4: __ext4_new_inode (fs/ext4/ialloc.c, v6.12) sets the new inode's
//     i_flags to ext4_mask_flags(mode, parent's i_flags & EXT4_FL_INHERITED),
//     and EXT4_FL_INHERITED holds EXT4_DAX_FL (fs/ext4/ext4.h), then calls
//     ext4_set_inode_flags(inode, true), so ext4_should_enable_dax decides
//     S_DAX of the new inode at once.
//   xfs: xfs_icreate -> xfs_inode_init (fs/xfs/libxfs/xfs_inode_util.c,
//     v6.12) copies XFS_DIFLAG2_DAX from the parent for a regular file or a
//     directory (xfs_inode_inherit_flags2), then xfs_setup_inode ->
//     xfs_diflags_to_iflags(ip, true) (fs/xfs/xfs_iops.c), so
//     xfs_inode_should_enable_dax decides S_DAX at once.
//
// Files are no longer independent: two files created in one directory share
// the flag they are born with. With dirs=0 none of this exists and the
// schema is the flat one (spec/dax/state.ts), so the default tables, state
// counts and recorded traces stay as they were.

import { arrayOf, bool, indexSet, record, type IndexSet } from '../../checker/domain.js';
import type { ActionDef, ModelParts } from '../../checker/model.js';
import { createActions, type TreeS } from './actions/dirs.js';
import type { Ctx } from './context.js';
import type { Schema } from './state.js';

/** The directories d1..dn. */
export const dirsOf = (n: number): IndexSet => indexSet('d', n);

/** The variables the tree adds to the flat schema. */
export function treeFields(Files: IndexSet, Dirs: IndexSet) {
  return {
    /** The file has been created (open with O_CREAT, or the target of a copy). */
    exists: arrayOf(Files, bool),
    /** The directory the file's one dentry is in (d1 until it exists). */
    parent: arrayOf(Files, Dirs),
    dirExists: arrayOf(Dirs, bool),
    /** FS_XFLAG_DAX of the directory (EXT4_DAX_FL / XFS_DIFLAG2_DAX on a directory inode). */
    dirFlag: arrayOf(Dirs, bool),
    /** The directory's own parent; d1, the run's directory, is its own. */
    dirParent: arrayOf(Dirs, Dirs),
  };
}


/**
 * The flat parts of one design, with the tree on top: the tree's variables,
 * an initial state with only d1 (either value of its flag) and no file yet,
 * the tree's actions, and open and statx of a path only where the file exists.
 */
export function withTree(ctx: Ctx, parts: ModelParts<Schema>): ModelParts<Schema> {
  const Dirs = dirsOf(ctx.c.dirs);
  const schema = record({ ...parts.schema.fields, ...treeFields(ctx.Files, Dirs) });
  const init = {
    params: { rootFlag: bool },
    effect: (s: TreeS, a: { rootFlag: number }) => {
      s.dirExists[0] = 1;
      s.dirFlag[0] = a.rootFlag;
    },
  };
  const existing = (a: ActionDef<any, any>): ActionDef<any, any> => ({
    ...a,
    guard: (s: TreeS, prm: any) => s.exists[prm.f as number] === 1 && (a.guard ? a.guard(s, prm) : true),
    guardDoc: `the file exists; ${a.guardDoc ?? 'always'}`,
  });
  const actions: Record<string, ActionDef<any, any>> = {};
  for (const [name, a] of Object.entries(parts.actions)) actions[name] = name === 'Open' || name === 'Statx' ? existing(a) : a;
  Object.assign(actions, createActions(ctx, Dirs));
  return {
    ...parts,
    schema: schema as unknown as Schema,
    init: init as unknown as ModelParts<Schema>['init'],
    actions,
    notes: { ...parts.notes, dirs: `${ctx.c.dirs} (create, mkdir, rename, copy; FS_XFLAG_DAX inherited at creation)` },
  };
}

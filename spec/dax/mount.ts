// Mounting within a run, with `remount=on` (ext4/xfs): the filesystem can be
// unmounted when nothing of it is in use and mounted again with any dax=
// mode; `mount` is the mode the run starts with. The mode in force is then
// state, and every inode instantiated after the mount gets its S_DAX from
// that mode (ext4_should_enable_dax: test_opt2(DAX_NEVER), test_opt(DAX_ALWAYS);
// xfs_inode_should_enable_dax: xfs_has_dax_never / xfs_has_dax_always, v6.12).
//
// Changing the mode on a live mount is no step: `mount -o remount,dax=...`
// fails on ext4 with -EINVAL, "can't change dax mount option while
// remounting" (fs/ext4/super.c ext4_check_opt_consistency, v6.12; also a
// dax=inode given on a mount that had no dax option), and xfs accepts the
// remount and changes nothing it does not list (fs/xfs/xfs_super.c
// xfs_fs_reconfigure: inode32/inode64 and ro/rw only, "silently ignore all
// options that we can't actually change"). So the only way to another mode
// is umount and mount, which evicts every inode (generic_shutdown_super:
// sync_filesystem, evict_inodes, fs/super.c), and the note in dax.rst
// ("overridden until the filesystem is remounted with dax=inode and the
// inode is evicted") is both at once.

import { bool, record } from '../../checker/domain.js';
import type { ActionDef, ModelParts } from '../../checker/model.js';
import { MountMode, mountActions, type MountS } from './actions/mount.js';
import type { Constants } from './constants.js';
import type { Ctx } from './context.js';
import { mountFailure } from './exclusions.js';
import { ext4xfs, type Flavour } from './flavour.js';
import type { S, Schema } from './state.js';

export { MountMode };

/** The dax= mode in force: the state's with remount=on (ext4/xfs), the constant's otherwise. */
export function mountModeOf(ctx: Ctx, s: S): Constants['mount'] {
  return ctx.c.remount === 'on' && ctx.flavour.fs === 'ext4/xfs' ? MountMode.values[(s as MountS).mountMode]! : ctx.c.mount;
}

/** ext4/xfs whose S_DAX at iget follows the mode in force, as ext4xfs does for each mode. */
export function mountAwareFlavour(c: Constants): Flavour {
  const base = ext4xfs(c);
  // A mode whose mount fails (ext4 dax=always on a device without DAX) is never in force: Mount refuses it.
  const perMode = MountMode.values.map((mount) => (mountFailure({ ...c, mount }) ? base : ext4xfs({ ...c, mount })));
  return { ...base, desiredDax: (s, f) => perMode[(s as MountS).mountMode]!.desiredDax(s, f) };
}

/** The parts with the mount on top: its variables, mounted at the start with `mount`, and no step of a file while unmounted. */
export function withMount(ctx: Ctx, parts: ModelParts<Schema>): ModelParts<Schema> {
  const schema = record({ ...parts.schema.fields, mounted: bool, mountMode: MountMode });
  const start = MountMode[ctx.c.mount];
  const init = {
    params: parts.init.params,
    effect: (s: MountS, a: unknown) => {
      parts.init.effect(s as never, a as never);
      s.mounted = 1;
      s.mountMode = start;
    },
  };
  const mounted = (a: ActionDef<any, any>): ActionDef<any, any> => ({
    ...a,
    guard: (s: MountS, prm: any) => s.mounted === 1 && (a.guard ? a.guard(s, prm) : true),
    guardDoc: `the filesystem is mounted; ${a.guardDoc ?? 'always'}`,
  });
  const actions: Record<string, ActionDef<any, any>> = {};
  for (const [name, a] of Object.entries(parts.actions)) actions[name] = mounted(a);
  Object.assign(actions, mountActions(ctx));
  return {
    ...parts,
    schema: schema as unknown as Schema,
    init: init as unknown as ModelParts<Schema>['init'],
    actions,
    notes: { ...parts.notes, remount: `on (umount, then mount with any dax= mode; starts with dax=${ctx.c.mount})` },
  };
}

// umount(2) and mount(2) of the filesystem within a run (remount=on,
// spec/dax/mount.ts).

import { actionsOver } from '../../../checker/extend.js';
import type { ActionDef } from '../../../checker/model.js';
import { fName, type Ctx } from '../context.js';
import { evict } from '../inode.js';
import { mountFailure } from '../exclusions.js';
import { enumOf } from '../../../checker/domain.js';
import { Fd, InCore, PageCache, Vma, type S } from '../state.js';

/** The dax= mount option in force. */
export const MountMode = enumOf('inode', 'always', 'never');

/** A state with the mount (spec/dax/mount.ts): the flat one (or the tree) and whether and how it is mounted. */
export type MountS = S & { mounted: number; mountMode: number };

const act = actionsOver<MountS>();

/** An open file or a mapping holds a reference to the mount (struct file's f_path; a VMA's vm_file). */
function inUse(s: MountS, ctx: Ctx): boolean {
  for (let p = 0; p < ctx.P; p++) for (let f = 0; f < ctx.F; f++) if (s.fd[p]![f] !== Fd.closed || s.vma[p]![f] !== Vma.none) return true;
  return false;
}

export function mountActions(ctx: Ctx): Record<string, ActionDef<any, any>> {
  const failures = MountMode.values.map((mount) => mountFailure({ ...ctx.c, mount }));
  const refused = failures.map((why) => why !== undefined);
  const refusedDoc = failures.map((why, m) => (why ? `dax=${MountMode.values[m]} fails (${why})` : '')).filter(Boolean).join('; ');
  return {
    // -EBUSY while any file is open or mapped (do_umount: propagate_mount_busy, fs/namespace.c): not a step.
    Umount: act({
      params: {},
      guard: (s) => s.mounted === 1 && !inUse(s, ctx),
      guardDoc: 'the filesystem is mounted and no process has a file of it open or mapped (else -EBUSY)',
      effect: (s) => {
        for (let f = 0; f < ctx.F; f++) {
          if (s.inode[f] !== InCore.cached) continue;
          // sync_filesystem writes dirty pages back through the a_ops; an S_DAX inode's (the DAX ones)
          // write no page-cache page, so pages a live flip stranded there are dropped with the inode.
          if (s.pageCache[f] === PageCache.dirty && s.sDax[f] === 1) s.pageCache[f] = PageCache.none;
          evict(s, f, InCore.reclaimed);
        }
        s.mounted = 0;
      },
      label: (_a, before) => {
        const gone = Array.from({ length: ctx.F }, (_, f) => f).filter((f) => before.inode[f] === InCore.cached).map(fName);
        return `Umount${gone.length ? ` → Evict ${gone.join(', ')}` : ''}`;
      },
      source: 'fs/namespace.c do_umount (propagate_mount_busy: -EBUSY); fs/super.c generic_shutdown_super -> sync_filesystem, evict_inodes (v6.12)',
    }),

    // A mode the filesystem refuses on this device is a mount(2) that fails and changes nothing: no step
    // (ext4 dax=always without a DAX device, or with the inline_data feature: spec/dax/exclusions.ts mountFailure).
    Mount: act({
      params: { mode: MountMode },
      guard: (s, { mode }) => s.mounted === 0 && !refused[mode],
      guardDoc: `the filesystem is not mounted${refusedDoc ? `; ${refusedDoc}` : ''}`,
      effect: (s, { mode }) => { s.mounted = 1; s.mountMode = mode; },
      label: ({ mode }) => `Mount -o dax=${MountMode.values[mode]}`,
      source: 'fs/ext4/super.c ext4_parse_param (Opt_dax_type); fs/xfs/xfs_super.c xfs_fs_parse_param -> xfs_mount_set_dax_mode (v6.12)',
    }),
  };
}

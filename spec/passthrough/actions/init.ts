// Passthrough as FUSE_INIT negotiated it (constant passthroughInit). The
// kernel sets fc->passthrough only when the reply carries FUSE_PASSTHROUGH and
// 0 < max_stack_depth <= FILESYSTEM_MAX_STACK_DEPTH (fs/fuse/inode.c
// process_init_reply, v6.12). Without it, every FOPEN_PASSTHROUGH open fails
// in fuse_file_passthrough_open with -EINVAL, which fuse_file_io_open turns
// into -EIO (fs/fuse/iomode.c, a23e1966), and FUSE_DEV_IOC_BACKING_OPEN is
// -EPERM (fs/fuse/passthrough.c fuse_backing_open), so the server has no
// backing id to name: the open fails before any id is looked up.

import type { ActionDef } from '../../../checker/model.js';
import { Errno, OpenFlags, RefusedCall, type S, type Schema, type World } from '../state.js';

export function withPassthroughInit<A extends Record<'Open' | 'OpenRefused', ActionDef<Schema, any>>>(w: World, base: A): A {
  if (w.passthroughGranted) return base;
  const passthrough = (a: { flags: number }) => a.flags === OpenFlags.FOPEN_PASSTHROUGH;
  // backing=1 stands for "whatever id the reply names": it is never looked up.
  const refusedHere = (s: S, a: any) => passthrough(a) && a.backing === 1 && s.alive[a.p] === 1;
  return {
    ...base,
    Open: { ...base.Open, guard: (s: S, a: any) => !passthrough(a) && base.Open.guard!(s, a) },
    OpenRefused: {
      ...base.OpenRefused,
      guard: (s: S, a: any) => (passthrough(a) ? refusedHere(s, a) : base.OpenRefused.guard!(s, a)),
      effect: (s: S, a: any) => {
        if (!passthrough(a)) return base.OpenRefused.effect(s, a);
        s.refused.call = RefusedCall['Open(FOPEN_PASSTHROUGH)'];
        s.refused.errno = Errno.EIO;
      },
      source: 'fs/fuse/iomode.c fuse_file_passthrough_open: !fc->passthrough -> -EINVAL, fuse_file_io_open "fail:" -> -EIO (a23e1966); fs/fuse/inode.c process_init_reply (v6.12)',
    },
  };
}

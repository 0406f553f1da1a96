// Passthrough as FUSE_INIT negotiated it (constant passthroughInit). The
// kernel sets fc->passthrough only when the reply carries FUSE_PASSTHROUGH and
// 0 < max_stack_depth <= FILESYSTEM_MAX_STACK_DEPTH (fs/fuse/inode.c
// process_init_reply, v6.12). Without it, every FOPEN_PASSTHROUGH open fails
// in fuse_file_passthrough_open with -EINVAL, which fuse_file_io_open turns
// into -EIO (fs/fuse/iomode.c, a23e1966), and FUSE_DEV_IOC_BACKING_OPEN is
// -EPERM (fs/fuse/passthrough.c fuse_backing_open), so the server has no
// backing id to name: the open fails before any id is looked up.

import type { ActionDef } from '../../../checker/model.js';
import { Errno, FileKind, OpenFlags, RefusedCall, hasPassthroughFlag, type S, type Schema, type World } from '../state.js';

export function withPassthroughInit<A extends Record<'Open' | 'OpenRefused', ActionDef<Schema, any>>>(w: World, base: A): A {
  if (w.passthroughGranted) return base;
  const passthrough = (a: { flags: number }) => hasPassthroughFlag(a.flags);
  // backing=1 stands for "whatever id the reply names": it is never looked up.
  const refusedHere = (s: S, a: any) => passthrough(a) && w.replies[a.flags] === true && a.backing === 1 && s.alive[a.p] === 1;
  return {
    ...base,
    Open: { ...base.Open, guard: (s: S, a: any) => !passthrough(a) && base.Open.guard!(s, a) },
    OpenRefused: {
      ...base.OpenRefused,
      guard: (s: S, a: any) => (passthrough(a) ? refusedHere(s, a) : base.OpenRefused.guard!(s, a)),
      effect: (s: S, a: any) => {
        if (!passthrough(a)) return base.OpenRefused.effect(s, a);
        s.refused.call = RefusedCall[`Open(${OpenFlags.values[a.flags]!})`];
        s.refused.errno = Errno.EIO;
      },
      source: 'fs/fuse/iomode.c fuse_file_passthrough_open: !fc->passthrough -> -EINVAL, fuse_file_io_open "fail:" -> -EIO (a23e1966); fs/fuse/inode.c process_init_reply (v6.12)',
    },
  };
}

/**
 * A server that does not implement OPEN (constant serverOpen=ENOSYS): the
 * first FUSE_OPEN gets -ENOSYS and the kernel sets fc->no_open; from then on
 * no FUSE_OPEN is sent, every file opens with open_flags FOPEN_KEEP_CACHE
 * (a caching file: whatever the server would have said does not exist) and
 * ff->args NULL, so fuse_file_io_open takes no io mode ("io modes are not
 * relevant with DAX and with server that does not implement open") and
 * fuse_file_put sends no FUSE_RELEASE (fs/fuse/file.c fuse_file_open,
 * fuse_file_put; fs/fuse/iomode.c fuse_file_io_open; a23e1966, v6.12).
 * The model sets fc->no_open in the initial state: the first open behaves as
 * every later one.
 */
export function withServerOpen<A extends Record<'Open' | 'OpenRefused', ActionDef<Schema, any>>>(w: World, base: A): A {
  if (!w.noOpen) return base;
  const lowestFreeFile = (s: S): number => {
    for (let f = 0; f < w.nf; f++) if (s.file[f].kind === FileKind.free) return f;
    return -1;
  };
  return {
    ...base,
    Open: {
      ...base.Open,
      guard: (s: S, a: any) => a.flags === OpenFlags.caching && a.backing === 1 && s.alive[a.p] === 1 && lowestFreeFile(s) >= 0,
      effect: (s: S, a: any) => {
        const f = lowestFreeFile(s);
        s.refused.call = RefusedCall.none; s.refused.errno = Errno.none;
        s.file[f].kind = FileKind.caching;
        s.file[f].heldBy[a.p] = 1;
      },
      guardDoc: 'the process is alive and a file slot is free: with fc->no_open every open succeeds as a caching file without an io mode',
      source: 'fs/fuse/file.c fuse_file_open (-ENOSYS: fc->no_open, open_flags FOPEN_KEEP_CACHE, ff->args NULL); fs/fuse/iomode.c fuse_file_io_open returns 0 without ff->args (a23e1966, v6.12)',
    },
    OpenRefused: { ...base.OpenRefused, guard: () => false },
  };
}

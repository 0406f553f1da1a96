// The server's backing ids as steps of their own (constant backingIds=ioctl):
// FUSE_DEV_IOC_BACKING_OPEN registers a file and returns its id,
// FUSE_DEV_IOC_BACKING_CLOSE removes an id (fs/fuse/dev.c fuse_dev_ioctl;
// fs/fuse/passthrough.c fuse_backing_open, fuse_backing_close,
// fuse_passthrough_open; linux-6.12.y 6.12.19, as v6.12):
// - ids come from idr_alloc_cyclic(.., 1, 0): the next id after the last one
//   given, so a closed id is not given again (until the int wraps); the model
//   gives id slot b to the b-th registration and none after the last slot
//   (a bound of the model);
// - without fc->passthrough both are -EPERM (and without CAP_SYS_ADMIN,
//   which the model's server has); BACKING_CLOSE of an id not in the map
//   (never given, or closed) is -ENOENT, of an id <= 0 -EINVAL; a flags or
//   padding field not 0 is -EINVAL for BACKING_OPEN (the program checks those
//   three at set-up: they depend on the arguments, not on the state);
// - closing an id drops the map's reference only: fuse_passthrough_open took
//   a reference of its own (fuse_backing_get) for the inode (fi->fb, kept
//   until fuse_inode_uncached_io_end at the last passthrough release), and
//   each open file has its own backing_file (backing_file_open), so files open
//   with a closed id go on reading, writing and mapping the backing file;
// - an OPEN reply naming an id not in the map is -ENOENT in
//   fuse_passthrough_open, -EIO from open(2) (actions.ts openResult); a new
//   id for the same backing file is another fuse_backing, so while fi->fb is
//   the old one, fuse_inode_uncached_io_start says -EBUSY (open: -EIO).

import { int } from '../../../checker/domain.js';
import { actionsOf, type ActionDef } from '../../../checker/model.js';
import { BackingIdState, Errno, RefusedCall, type S, type Schema, type World } from '../state.js';

const action = actionsOf<Schema>();

export function backingActions(w: World): Record<string, ActionDef<Schema, any>> {
  if (!w.backingIoctl) return {};
  const Id = int(1, w.c.backings);
  const nb = w.c.backings;
  const fcPassthrough = w.c.passthroughInit === 'granted';
  /** The id idr_alloc_cyclic gives next: the slot after the last one used (0: none left in the model). */
  const nextId = (s: S): number => {
    for (let b = nb; b >= 1; b--) if (s.backingMap[b - 1] !== BackingIdState.unused) return b < nb ? b + 1 : 0;
    return 1;
  };
  const clearRefused = (s: S) => { s.refused.call = RefusedCall.none; s.refused.errno = Errno.none; };
  const refuse = (s: S, call: number, errno: number) => { s.refused.call = call; s.refused.errno = errno; };

  const BackingOpen = action({
    params: { id: Id },
    guard: (s, { id }) => fcPassthrough && nextId(s) === id,
    effect: (s, { id }) => { clearRefused(s); s.backingMap[id - 1] = BackingIdState.registered; },
    guardDoc: 'fc->passthrough is set and the id is the one idr_alloc_cyclic gives next (ids are not given twice)',
    label: ({ id }) => `BackingOpen (server) = backing_id ${id}`,
    source: 'fs/fuse/passthrough.c fuse_backing_open -> fuse_backing_id_alloc: idr_alloc_cyclic(&fc->backing_files_map, fb, 1, 0) (v6.12)',
  });
  const BackingOpenRefused = action({
    params: { id: Id },
    guard: (_s, { id }) => !fcPassthrough && id === 1,
    effect: (s) => refuse(s, RefusedCall.BackingOpen, Errno.EPERM),
    guardDoc: 'fc->passthrough is not set (FUSE_INIT did not grant passthrough): -EPERM',
    label: () => 'BackingOpen (server) = -EPERM',
    source: 'fs/fuse/passthrough.c fuse_backing_open: !fc->passthrough || !capable(CAP_SYS_ADMIN) -> -EPERM (v6.12)',
  });
  const BackingClose = action({
    params: { id: Id },
    guard: (s, { id }) => fcPassthrough && s.backingMap[id - 1] === BackingIdState.registered,
    effect: (s, { id }) => { clearRefused(s); s.backingMap[id - 1] = BackingIdState.closed; },
    guardDoc: 'the id is in fc->backing_files_map: idr_remove, and the map\'s reference is dropped (the inode and the open files keep theirs)',
    label: ({ id }) => `BackingClose (server) backing_id ${id} = 0`,
    source: 'fs/fuse/passthrough.c fuse_backing_close: fuse_backing_id_remove, fuse_backing_put (v6.12)',
  });
  const BackingCloseRefused = action({
    params: { id: Id },
    guard: (s, { id }) => (fcPassthrough ? s.backingMap[id - 1] !== BackingIdState.registered : id === 1),
    effect: (s) => refuse(s, RefusedCall.BackingClose, fcPassthrough ? Errno.ENOENT : Errno.EPERM),
    guardDoc: 'the id was never given or is closed (-ENOENT), or fc->passthrough is not set (-EPERM)',
    label: ({ id }) => `BackingClose (server) backing_id ${id} = -${fcPassthrough ? 'ENOENT' : 'EPERM'}`,
    source: 'fs/fuse/passthrough.c fuse_backing_close: -EPERM, then -ENOENT when fuse_backing_id_remove finds nothing (v6.12)',
  });
  return { BackingOpen, BackingOpenRefused, BackingClose, BackingCloseRefused };
}

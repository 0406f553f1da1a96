// "Once the caching users are gone, passthrough gets in", as a liveness
// property: when every caching file (a caching open, or a FOPEN_DIRECT_IO
// file, which a page-cache mmap taints into caching mode until its release)
// and every page-cache mapping of the inode has been released, a
// FOPEN_PASSTHROUGH open is eventually accepted: fi->iocachectr has come
// back to zero, so fuse_inode_uncached_io_start no longer says -ETXTBSY
// (fs/fuse/iomode.c, a23e1966, v6.9+).
//
//   CachingUsersReleased ~> PassthroughOpenAccepted
//
// Fairness: release is fair, WF_vars(Close(p, f)) and WF_vars(VmaClose(v))
// for each instance, so a file or mapping still held by a passthrough user
// (which does not block a passthrough open) goes too. Opens are not assumed.
// The trigger is the state where the caching users are gone rather than the
// refused open itself: from a refusal, a behaviour in which caching users
// keep coming back would refuse passthrough forever in every design, and is
// no counterexample to "once they are released".

import { int } from '../../checker/domain.js';
import { leadsTo, weakFairness, type LivenessProperty } from '../../checker/model.js';
import { openCheck } from './iomode.js';
import { FileKind, OpenFlags, VmaMap, isCachingKind, type S, type Schema, type World } from './state.js';

export function livenessFor(w: World): Record<string, LivenessProperty<Schema>> {
  // Without fc->passthrough no passthrough open is ever accepted: nothing to wait for.
  if (!w.passthroughGranted) return {};
  // backingIds=ioctl: the server may close every id, after which no passthrough
  // open is accepted; that is the server's choice, not the kernel's, so the
  // property (which assumes the ids stay) is left out.
  if (w.backingIoctl) return {};
  const backings = int(1, w.c.backings);
  const cachingUsersReleased = (s: S) => {
    for (let f = 0; f < w.nf; f++) if (isCachingKind(s.file[f].kind) || s.file[f].kind === FileKind.FOPEN_DIRECT_IO) return false;
    for (let v = 0; v < w.nv; v++) if (s.vma[v].map === VmaMap.MAP_SHARED || s.vma[v].map === VmaMap.MAP_PRIVATE) return false;
    return true;
  };
  const passthroughOpenAccepted = (s: S) => {
    for (let b = backings.lo; b <= backings.hi; b++) if (openCheck(s, OpenFlags.FOPEN_PASSTHROUGH, b) === 'OK') return true;
    return false;
  };
  return {
    PassthroughAfterRelease: {
      kind: 'liveness',
      doc: 'once every caching file and page-cache mapping of the inode is released, a FOPEN_PASSTHROUGH open is eventually accepted',
      source: 'seed 004 (Amir Goldstein, 6 Dec 2023): the taint "stays with the file until release"; fs/fuse/iomode.c fuse_inode_uncached_io_start, fuse_file_io_release (a23e1966, v6.9+)',
      formula: leadsTo(cachingUsersReleased, passthroughOpenAccepted),
      trigger: 'CachingUsersReleased',
      fairness: [weakFairness('Close', { perInstance: true }), weakFairness('VmaClose', { perInstance: true })],
    },
  };
}

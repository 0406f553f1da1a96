// The passthrough model: FUSE passthrough, direct-io and cached I/O on one
// inode, and how mmap, fork, VMA splits and close move its I/O mode.
// Start with state.ts (what is kept and what is left out), then iomode.ts (the
// kernel's rules), actions.ts, properties.ts and the designs.

import { defineModel } from '../../checker/model.js';
import { baseActions, cacheMmapActions } from './actions.js';
import { constrainForDio, dioActions, landedDio, withInodeEvents } from './actions/dio.js';
import { withPassthroughInit, withServerOpen } from './actions/init.js';
import { backingActions } from './actions/backing.js';
import { directIoActions } from './actions/fopen.js';
import { pageCacheActions, withPageCache } from './actions/page-cache.js';
import { fopenPropertiesFor } from './fopen-properties.js';
import { dioPropertiesFor } from './dio-properties.js';
import { dioFileIomode } from './designs/dio-file-iomode.js';
import { dioSharedUnderCacheBit } from './designs/dio-shared-under-cache-bit.js';
import { cacheMmapTaint } from './designs/cache-mmap-taint.js';
import { landed } from './designs/landed.js';
import { vmaCloseRefcount } from './designs/vma-close-refcount.js';
import type { PassthroughDesign } from './policy.js';
import { livenessFor } from './liveness.js';
import { propertiesFor } from './properties.js';
import { passthroughPresentation } from './kernel-words.js';
import { constants, worldFor, type Constants, type S } from './state.js';

function build(c: Constants, d: PassthroughDesign) {
  const w = worldFor(c);
  const base = baseActions(w);
  const mmap = cacheMmapActions(w, d.policy);
  // The order is BFS's tie-break among equally short traces: fork before split.
  const core = {
    ...withServerOpen(w, withPassthroughInit(w, { Open: base.Open, OpenRefused: base.OpenRefused })), Close: base.Close,
    Mmap: mmap.Mmap, MmapRefused: mmap.MmapRefused,
    Fork: base.Fork, Split: base.Split, VmaClose: mmap.VmaClose, Exit: base.Exit,
    PageCacheIo: base.PageCacheIo, PassthroughIo: base.PassthroughIo, Fault: base.Fault,
    // Only under their constants (none at the defaults).
    ...directIoActions(w), ...backingActions(w), ...pageCacheActions(w),
  };
  // dioWrites > 0: the writes' actions after the others, and the counter's events after every step.
  const actions = withPageCache(w, w.dio ? withInodeEvents({ ...constrainForDio(w, core), ...dioActions(w, d.dio ?? landedDio) }) : core);
  return {
    schema: w.schema,
    // Every slot starts at its smallest value, so the counter is set explicitly.
    init: { params: {}, effect: (s: S) => { s.alive[0] = 1; s.iocachectr = 0; if (w.noOpen) s.noOpen = 1; } },
    actions,
    properties: { ...propertiesFor(w, d.policy), ...livenessFor(w), ...dioPropertiesFor(w), ...fopenPropertiesFor(w) },
    ...(d.constraint ? { constraint: d.constraint(w) } : {}),
  };
}

export const passthroughModel = defineModel({
  name: 'passthrough',
  summary: 'FUSE passthrough vs cached I/O on one inode: iocachectr, direct-io mmap, fork and VMA splits (fs/fuse/iomode.c, v6.9+)',
  constants,
  build,
  defaultDesign: 'landed',
  presentation: passthroughPresentation,
  // Struct files and VMA slots are places, not identities: every action takes
  // the slot as a parameter, a new file or VMA may take any free one, and no
  // property names one (state.ts, vmas.ts). The processes are not: p1 never exits.
  symmetric: ['file', 'vma'],
  designs: {
    landed,
    'cache-mmap-taint': cacheMmapTaint,
    'vma-close-refcount': vmaCloseRefcount,
    'dio-shared-under-cache-bit': dioSharedUnderCacheBit,
    'dio-file-iomode': dioFileIomode,
  },
});

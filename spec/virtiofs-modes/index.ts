// The virtiofs-modes model: DAX and the FUSE I/O modes (caching,
// FOPEN_DIRECT_IO, FOPEN_PASSTHROUGH) on one inode of a virtiofs mount with
// -o dax=inode. Start with state.ts (what is kept and left out), then
// kernel.ts (the v6.12 rules), actions.ts, properties.ts and design.ts.

import { defineModel, initOf } from '../../checker/model.js';
import { actionsFor } from './actions.js';
import { landed, passthroughOnDax, switchLive, type ModesDesign } from './design.js';
import { virtiofsModesPresentation } from './kernel-words.js';
import { propertiesFor } from './properties.js';
import { constants, worldFor, type Constants, type Schema } from './state.js';
import { bool } from '../../checker/domain.js';

function build(c: Constants, d: ModesDesign) {
  const w = worldFor(c);
  const { actions, kernel, readsFrom } = actionsFor(w, d);
  return {
    schema: w.schema,
    // The server's answer may be either at the start; no inode is in memory yet.
    init: initOf<Schema>()({ params: { serverDax: bool }, effect: (s, a) => { s.serverDax = a.serverDax; s.iocachectr = 0; } }),
    actions,
    properties: propertiesFor(w, kernel, readsFrom),
  };
}

export const virtiofsModesModel = defineModel({
  name: 'virtiofs-modes',
  summary: 'DAX and the FUSE io modes (caching, FOPEN_DIRECT_IO, FOPEN_PASSTHROUGH) on one virtiofs inode under dax=inode (fs/fuse/iomode.c, file.c, dax.c, v6.12)',
  constants,
  build,
  defaultDesign: 'landed',
  presentation: virtiofsModesPresentation,
  designs: {
    landed,
    'switch-live': switchLive,
    'passthrough-on-dax': passthroughOnDax,
  },
});

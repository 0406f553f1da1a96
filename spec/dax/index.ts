// The per-file DAX model: ext4/xfs (2017 thread, what landed in 5.8) and
// virtiofs (2021 thread, what landed in 5.17), every proposed design.

import { defineModel } from '../../checker/model.js';
import { buildDesign } from './base.js';
import { constants } from './constants.js';
import { daxPresentation } from './kernel-words.js';
import { ebusyBlockNewMappings } from './designs/ebusy-block-new-mappings.js';
import { ebusyWhileMapped } from './designs/ebusy-while-mapped.js';
import { ebusyWhileOpen } from './designs/ebusy-while-open.js';
import { flipOnIoctlDesign } from './designs/flip-on-ioctl.js';
import { ext4Patch9 } from './designs/ext4-patch9.js';
import { flipWithoutFlushDesign } from './designs/flip-without-flush.js';
import { instantiateOnly } from './designs/instantiate-only.js';
import { instantiateOnly510 } from './designs/instantiate-only-5.10.js';
import { xfsV413MountDax } from './designs/xfs-v4.13-mount-dax.js';
import { perMappingEbusy } from './designs/per-mapping-ebusy.js';
import { perMapping } from './designs/per-mapping.js';
import { setOnlyOnEmptyFileDesign } from './designs/set-only-on-empty-file.js';
import { virtiofsDontcacheAtIoctl } from './designs/virtiofs-dontcache-at-ioctl.js';
import { virtiofsV3 } from './designs/virtiofs-v3-isdax-bug.js';
import { virtiofsV6 } from './designs/virtiofs-v6.js';

export const daxModel = defineModel({
  name: 'dax',
  summary: 'per-file DAX on ext4/xfs and virtiofs: the 2017 and 2021 designs',
  constants,
  build: buildDesign,
  defaultDesign: 'instantiate-only',
  presentation: daxPresentation,
  symmetric: ['f', 'p'], // no file or process is special: every action takes them as parameters (Fork names its child), and init ranges over every file's flag and size
  designs: {
    'flip-without-flush': flipWithoutFlushDesign,
    'flip-on-ioctl': flipOnIoctlDesign,
    'ext4-patch9': ext4Patch9,
    'xfs-v4.13-mount-dax': xfsV413MountDax,
    'ebusy-while-mapped': ebusyWhileMapped,
    'ebusy-while-open': ebusyWhileOpen,
    'ebusy-block-new-mappings': ebusyBlockNewMappings,
    'set-only-on-empty-file': setOnlyOnEmptyFileDesign,
    'per-mapping': perMapping,
    'per-mapping-ebusy': perMappingEbusy,
    'instantiate-only': instantiateOnly,
    'instantiate-only-5.10': instantiateOnly510,
    'virtiofs-v3-isdax-bug': virtiofsV3,
    'virtiofs-v6': virtiofsV6,
    'virtiofs-dontcache-at-ioctl': virtiofsDontcacheAtIoctl,
  },
});

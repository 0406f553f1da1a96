// The base model: ext4/xfs as landed in 5.8 (and fixed in 5.11). Every
// ext4/xfs design replaces only the actions it changes.

import type { Behaviour } from './actions/index.js';
import { faultByInode } from './actions/mmap.js';
import { markDontcacheAtIoctl } from './actions/setflag.js';
import type { Constants } from './constants.js';
import { ctxFor, type Ctx } from './context.js';
import { ext4xfs } from './flavour.js';
import { partsFor } from './parts.js';

export const ext4xfsCtx = (c: Constants): Ctx => ctxFor(c, ext4xfs(c));

export const landed = (ctx: Ctx): Behaviour => ({
  setFlag: markDontcacheAtIoctl(ctx),
  faultRule: faultByInode,
  writebackUnderDax: false,
  readOnlyOpens: false,
});

export const buildBase = (c: Constants) => partsFor(c, ext4xfs(c), landed(ext4xfsCtx(c)));

import { isDaxNotEqualNewdax } from '../actions/fuse.js';
import type { DaxDesign } from './design.js';

export const virtiofsV3 = {
  summary: 'virtiofs v3: fuse_change_attributes marks DONTCACHE when IS_DAX(inode) != newdax, and IS_DAX is 8192, not 1',
  source: 'Jeffle Xu, v3 (spinics linux-fsdevel msg200852); fixed in v4: v5/v6 covers, seed 002, "changes since v3"',
  flavour: 'virtiofs',
  changes: (ctx) => ({ dontcache: isDaxNotEqualNewdax(ctx.c) }),
} satisfies DaxDesign;

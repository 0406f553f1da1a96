import { flipWithoutFlush } from '../actions/setflag.js';
import type { DaxDesign } from './design.js';

export const flipWithoutFlushDesign: DaxDesign = {
  summary: 'baseline: the ioctl recomputes S_DAX from the new flag with no writeback, no invalidation, no unmapping',
  source: 'design note (added as a baseline); Ross Zwisler, seed 003, 2017-09-07T21:51 ("one mapping to page cache, and one to DAX"); '
    + 'Andreas Dilger, 21:26 ("enabling/disabling S_DAX on an inode that already has dirty data")',
  flavour: 'ext4/xfs',
  // A baseline, not a kernel: it flushes and invalidates nothing, so no lock has anything to protect and the cut
  // cannot hide a race; checked atomically (its every harm row fails in 4 to 6 steps at either cut).
  changes: (ctx) => ({ setFlag: flipWithoutFlush(ctx), noLocksToCut: true }),
};

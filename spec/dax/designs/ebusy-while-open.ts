import { busyWhileOpenOrMapped, flipOnIoctl, setFlag } from '../actions/setflag.js';
import { ext4xfsCtx } from '../base.js';
import type { DaxDesign } from './design.js';

export const ebusyWhileOpen: DaxDesign = {
  summary: 'flip at the ioctl, but -EBUSY while the file is mapped or open by anyone but the caller',
  source: 'Ross Zwisler, seed 003, 2017-09-07T22:19 ("open mappings or any open file handles"); Dave Chinner, 23:25 '
    + '("You have to have an open fd to change the flag. :)")',
  vary: (m, c) => {
    const ctx = ext4xfsCtx(c);
    m.actions.SetFlag = setFlag(ctx, { ...flipOnIoctl(ctx), ...busyWhileOpenOrMapped(ctx) });
  },
};

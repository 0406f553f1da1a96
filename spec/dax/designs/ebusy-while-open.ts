import { busyWhileOpenOrMapped, flipOnIoctl } from '../actions/setflag.js';
import type { DaxDesign } from './design.js';

export const ebusyWhileOpen: DaxDesign = {
  summary: 'flip at the ioctl, but -EBUSY while the file is mapped or open by anyone but the caller',
  source: 'Ross Zwisler, seed 003, 2017-09-07T22:19 ("open mappings or any open file handles"); Dave Chinner, 23:25 '
    + '("You have to have an open fd to change the flag. :)")',
  flavour: 'ext4/xfs',
  changes: (ctx) => ({ setFlag: { ...flipOnIoctl(ctx), ...busyWhileOpenOrMapped(ctx) } }),
};

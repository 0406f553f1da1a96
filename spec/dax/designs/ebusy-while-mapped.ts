import { busyWhileMapped, flipOnIoctl } from '../actions/setflag.js';
import type { DaxDesign } from './design.js';

export const ebusyWhileMapped: DaxDesign = {
  summary: 'flip at the ioctl, but -EBUSY while any process has the file mapped (open files are fine)',
  source: 'Ross Zwisler, seed 003, 2017-09-07T22:19 (option 1); Jan Kara, 2017-09-08 ("open file handles don\'t matter") and '
    + '2017-09-11 ("whenever inode->i_mapping->i_mmap RB tree is empty"); Dave Chinner, 23:25 ("-EBUSY when there are active mappings")',
  flavour: 'ext4/xfs',
  changes: (ctx) => ({ setFlag: { ...flipOnIoctl(ctx), ...busyWhileMapped(ctx) } }),
};

import { busyWhileMapped, flipOnIoctl } from '../actions/setflag.js';
import type { DaxDesign } from './design.js';

/**
 * ebusy-while-mapped with the lock the thread said it needs: held from the
 * -EBUSY check to the flip and taken by ->mmap, so no mapping can be set up
 * in between (spec/dax/locks.ts: ->mmap taking the fault lock shared keeps
 * the kernel's lock order; derived, no such patch was posted).
 */
export const ebusyBlockNewMappings: DaxDesign = {
  summary: 'flip at the ioctl, -EBUSY while mapped; ->mmap waits while a flag change is between its check and its flip, and I/O picks its path under the I/O lock',
  source: 'Jan Kara, seed 003, 2017-09-08 ("if we disallow any mappings when switching S_DAX flag ... there can be no races... '
    + 'We just have to be sure to block new mappings of the file while switching the flag") and 2017-09-11 ("tricky to prevent '
    + 'creation of new mappings while we are switching S_DAX flag"); Ross Zwisler, 2017-09-07T22:19 ("To prevent TOCTOU races we\'d have to do some additional locking")',
  flavour: 'ext4/xfs',
  // Jan Kara, same mail: "open file handles don't matter and we can serialize against IO in progress": read and
  // write choose their path under the I/O lock (as ext4_dax_read_iter re-tests IS_DAX after inode_lock_shared).
  changes: (ctx) => ({ setFlag: { ...flipOnIoctl(ctx), ...busyWhileMapped(ctx) }, mmapWaitsForFlagChange: true, ioChoosesUnderLock: true }),
};

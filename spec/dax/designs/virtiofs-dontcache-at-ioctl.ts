import { forwardAndMarkDontcache } from '../actions/setflag.js';
import type { DaxDesign } from './design.js';

export const virtiofsDontcacheAtIoctl = {
  summary: 'virtiofs v6, and the guest\'s FS_XFLAG_DAX change also marks the inode DONTCACHE, whatever the server will decide',
  source: 'Vivek Goyal, seed 002, 2021-10-20 ("we can always mark inode don\'t cache whenever client changes persistent DAX flag"); '
    + 'objection: Jeffle Xu, same day ("the previous eviction is totally wasted")',
  flavour: 'virtiofs',
  changes: (ctx) => ({ setFlag: forwardAndMarkDontcache(ctx) }),
} satisfies DaxDesign;

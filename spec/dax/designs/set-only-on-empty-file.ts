import { flipOnIoctl, setOnlyOnEmptyFile } from '../actions/setflag.js';
import type { DaxDesign } from './design.js';

export const setOnlyOnEmptyFileDesign: DaxDesign = {
  summary: 'flip at the ioctl; setting the flag needs an empty file (i_size and i_blocks 0) and one O_RDONLY opener, the caller; '
    + 'clearing is not restricted',
  source: 'Ted Ts\'o, seed 003, 2017-09-08T15:39 <20170908153913.jjhzogjs5zpeea5v@thunk.org>; Jan Kara, 2017-09-11 ("a pain to use")',
  flavour: 'ext4/xfs',
  changes: (ctx) => ({ setFlag: { ...flipOnIoctl(ctx), ...setOnlyOnEmptyFile(ctx) }, readOnlyOpens: true }),
};

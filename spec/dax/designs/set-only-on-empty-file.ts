import { flipOnIoctl, setOnlyOnEmptyFile } from '../actions/setflag.js';
import type { DaxDesign } from './design.js';

export const setOnlyOnEmptyFileDesign: DaxDesign = {
  summary: 'flip at the ioctl; setting the flag needs an empty file (i_size and i_blocks 0) and one O_RDONLY opener, the caller; '
    + 'clearing is refused (Ross Zwisler\'s option 2); existing mappings are not checked',
  source: 'Ted Ts\'o, seed 003, 2017-09-08T15:39 <20170908153913.jjhzogjs5zpeea5v@thunk.org>; Ross Zwisler, 2017-09-07T22:19, option 2 '
    + '("we don\'t provide a way to clear"); Jan Kara, 2017-09-11 ("a pain to use")',
  flavour: 'ext4/xfs',
  changes: (ctx) => ({ setFlag: { ...flipOnIoctl(ctx), ...setOnlyOnEmptyFile(ctx) }, readOnlyOpens: true }),
};

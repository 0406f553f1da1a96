import { busyWhileMapped, flipOnIoctl } from '../actions/setflag.js';
import type { DaxDesign } from './design.js';
import { decideAtMmap } from './per-mapping.js';

export const perMappingEbusy: DaxDesign = {
  summary: 'per-mapping DAX decided at mmap time, combined with -EBUSY while the file is mapped',
  source: 'Dave Chinner, seed 003, 2017-09-07T23:25 ("Combine that with -EBUSY when there are active mappings")',
  flavour: 'ext4/xfs',
  changes: (ctx) => ({ ...decideAtMmap, setFlag: { ...flipOnIoctl(ctx), ...busyWhileMapped(ctx) } }),
};

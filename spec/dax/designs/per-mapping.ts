import type { Behaviour } from '../actions/index.js';
import { faultByMapping } from '../actions/mmap.js';
import { flipOnIoctl } from '../actions/setflag.js';
import type { DaxDesign } from './design.js';

/**
 * Faults follow the VMA and page-cache a_ops stay usable under S_DAX. What a
 * fault would do is this design's semantics, so StatxTellsTheTruth asks the
 * same rule (spec/dax/parts.ts hands the fault rule to the properties).
 */
export const decideAtMmap: Partial<Behaviour> = { faultRule: faultByMapping, writebackUnderDax: true };

export const perMapping: DaxDesign = {
  summary: 'DAX is a property of the mapping, fixed at mmap time; faults follow the VMA; the ioctl flips S_DAX (for read/write and new mmaps)',
  source: 'Dave Chinner, seed 003, 2017-09-07T23:25 <20170907232543.GB17782@dastard>; Jan Kara, 2017-09-08 (only page_mkwrite/pfn_mkwrite differ)',
  flavour: 'ext4/xfs',
  changes: (ctx) => ({ ...decideAtMmap, setFlag: flipOnIoctl(ctx) }),
};

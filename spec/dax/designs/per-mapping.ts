import { castDraft, type Draft } from 'immer';
import type { MutableParts } from '../../../checker/model.js';
import { writeback } from '../actions/io.js';
import { faultByMapping, pageFault } from '../actions/mmap.js';
import { flipOnIoctl, setFlag, type SetFlagRule } from '../actions/setflag.js';
import { ext4xfsCtx } from '../base.js';
import type { Constants } from '../constants.js';
import type { Ctx } from '../context.js';
import { properties } from '../properties.js';
import type { Schema } from '../state.js';
import type { DaxDesign } from './design.js';

/**
 * Faults follow the VMA and page-cache a_ops stay usable under S_DAX. What a
 * fault would do is this design's semantics, so StatxTellsTheTruth asks the
 * same rule.
 */
export function decideAtMmap(m: Draft<MutableParts<Schema>>, c: Constants, rule: (ctx: Ctx) => SetFlagRule): void {
  const ctx = ext4xfsCtx(c);
  m.actions.SetFlag = setFlag(ctx, rule(ctx));
  m.actions.PageFault = pageFault(ctx, faultByMapping);
  m.actions.Writeback = writeback(ctx, { underDax: true });
  m.properties.StatxTellsTheTruth = castDraft(properties(ctx, faultByMapping).StatxTellsTheTruth!);
}

export const perMapping: DaxDesign = {
  summary: 'DAX is a property of the mapping, fixed at mmap time; faults follow the VMA; the ioctl flips S_DAX (for read/write and new mmaps)',
  source: 'Dave Chinner, seed 003, 2017-09-07T23:25 <20170907232543.GB17782@dastard>; Jan Kara, 2017-09-08 (only page_mkwrite/pfn_mkwrite differ)',
  vary: (m, c) => decideAtMmap(m, c, flipOnIoctl),
};

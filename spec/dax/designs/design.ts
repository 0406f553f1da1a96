// What a design of the per-file DAX model is: a flavour (the filesystem) and
// what the design does differently from what landed on it. The model builds
// each design's parts from these two once (spec/dax/base.ts).

import type { DesignInfo } from '../../../checker/model.js';
import type { Behaviour } from '../actions/index.js';
import type { Constants } from '../constants.js';
import type { Ctx } from '../context.js';
import type { Flavour } from '../flavour.js';

export interface DaxDesign extends DesignInfo {
  /** ext4/xfs (the 2017 designs) or virtiofs (the 2021 ones). */
  readonly flavour: 'ext4/xfs' | 'virtiofs';
  /** When S_DAX changes and what the ioctl, the fault path, writeback and the lookup do, where it differs from what landed. */
  readonly changes?: (ctx: Ctx) => Partial<Behaviour>;
  /** What the design changes in its filesystem's own behaviour (the dcache of a kernel version, a mount option, a file exclusion of then). */
  readonly flavourChanges?: (base: Flavour, c: Constants) => Partial<Flavour>;
}

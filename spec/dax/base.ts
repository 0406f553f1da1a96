// What landed on each flavour, and one design's parts: the flavour's landed
// behaviour with the design's changes on top.
// - ext4/xfs as landed in 5.8 (and fixed in 5.11): the ioctl marks the inode
//   I_DONTCACHE, faults ask IS_DAX.
// - virtiofs as landed in 5.17 (v6/v7): FUSE's lookup, attribute refresh and
//   timeouts, write-through I/O, flush on close, dentries that die when they
//   expire, the ioctl forwarded to virtiofsd, S_DAX decided by the server's
//   FUSE_ATTR_DAX, and DONTCACHE marked when FUSE_ATTR_DAX differs from S_DAX.

import type { ModelParts } from '../../checker/model.js';
import { attrDaxDiffers } from './actions/fuse.js';
import type { Behaviour } from './actions/index.js';
import { forwardToServer, markDontcacheAtIoctl, type SetFlagRule } from './actions/setflag.js';
import { refusedAfterMark } from './request-errors.js';
import type { Constants } from './constants.js';
import { exclusionRefusal, opensReadOnly, readOnlyOpen } from './exclusions.js';
import { ctxFor, type Ctx } from './context.js';
import type { DaxDesign } from './designs/design.js';
import { ext4xfs, virtiofsFlavour } from './flavour.js';
import { partsFor } from './parts.js';
import type { Schema } from './state.js';
import { withTree } from './tree.js';
import { mountAwareFlavour, withMount } from './mount.js';

/** flagRequest=plus-refused: the landed ioctl's requests may also carry an attribute refused after the mark (spec/dax/request-errors.ts). */
function withRefusedAttr(ctx: Ctx, rule: SetFlagRule): SetFlagRule {
  const failsPartWay = refusedAfterMark(ctx);
  return failsPartWay ? { ...rule, failsPartWay } : rule;
}

export function landedBehaviour(ctx: Ctx): Behaviour {
  const common = { faultRule: ctx.flavour.faultPath, writebackUnderDax: false, readOnlyOpens: false };
  return ctx.flavour.fs === 'virtiofs'
    ? { ...common, setFlag: forwardToServer, dontcache: attrDaxDiffers(ctx.c) }
    : { ...common, setFlag: withRefusedAttr(ctx, { ...markDontcacheAtIoctl(ctx), ...exclusionRefusal(ctx.c) }), readOnlyOpens: opensReadOnly(ctx.c) };
}

export function buildDesign(c: Constants, d: DaxDesign): ModelParts<Schema> {
  const remount = c.remount === 'on' && d.flavour !== 'virtiofs';
  const plain = d.flavour === 'virtiofs' ? virtiofsFlavour(c) : remount ? mountAwareFlavour(c) : ext4xfs(c);
  const ctx = ctxFor(c, d.flavourChanges ? { ...plain, ...d.flavourChanges(plain, c) } : plain);
  const behaviour = { ...landedBehaviour(ctx), ...d.changes?.(ctx) };
  const built = partsFor(ctx, ctx.flavour.fs === 'ext4/xfs' && opensReadOnly(c) ? { ...behaviour, readOnlyOpens: true } : behaviour);
  // A verity file (spec/dax/exclusions.ts): only the O_RDONLY open is a step.
  const parts = built.actions.Open && ctx.flavour.fs === 'ext4/xfs' && opensReadOnly(c)
    ? { ...built, actions: { ...built.actions, Open: readOnlyOpen(built.actions.Open) } } : built;
  const tree = c.dirs === 0 ? parts
    // virtiofs creates through FUSE_CREATE and the server decides FUSE_ATTR_DAX: the tree is ext4/xfs only.
    : ctx.flavour.fs === 'virtiofs' ? { ...parts, notes: { ...parts.notes, dirs: 'not modelled on virtiofs (flat files)' } }
      : withTree(ctx, parts);
  if (c.remount === 'off') return tree;
  return remount ? withMount(ctx, tree) : { ...tree, notes: { ...tree.notes, remount: 'not modelled on virtiofs' } };
}

// One design's model: schema, initial states, actions, properties, goals,
// from the flavour (in the context) and the design's behaviour.

import { arrayOf, bool, enumOf, int } from '../../checker/domain.js';
import { flagAllowed } from './exclusions.js';
import { initOf, type ModelParts } from '../../checker/model.js';
import { actionsFor, cutWords, lockingFor, type Behaviour } from './actions/index.js';
import type { Ctx } from './context.js';
import { goals } from './goals.js';
import { liveness } from './liveness.js';
import { properties } from './properties.js';
import { shapeOf, Size, type Schema } from './state.js';

/**
 * Every file starts on storage, not yet looked up, with either value of the
 * flag: xflagDax ∈ [Files → BOOLEAN], size ∈ [Files → SizeAtStart]. ext4/xfs
 * files start empty or not (Ted Ts'o's rule needs empty ones); virtiofs files
 * start on either side of the server's size threshold.
 */
export function initFor(ctx: Ctx) {
  const sizes = ctx.flavour.fs === 'virtiofs' ? ['small', 'big'] as const : ['empty', 'small'] as const;
  const SizeAtStart = enumOf(...sizes);
  return initOf<Schema>()({
    // A file with an ext4 attribute that excludes DAX cannot carry the flag (spec/dax/exclusions.ts flagAllowed).
    params: { xflagDax: arrayOf(ctx.Files, ctx.flavour.fs === 'virtiofs' || flagAllowed(ctx.c) ? bool : int(0, 0)), size: arrayOf(ctx.Files, SizeAtStart) },
    effect: (s, a) => {
      for (let f = 0; f < ctx.F; f++) {
        s.xflagDax[f] = a.xflagDax[f]!;
        s.size[f] = Size[sizes[a.size[f]!]!];
      }
    },
  });
}

export function partsFor(ctx: Ctx, behaviour: Behaviour): ModelParts<Schema> {
  return {
    schema: shapeOf(ctx.c).schema,
    init: initFor(ctx),
    actions: actionsFor(ctx, behaviour),
    properties: {
      ...properties(ctx, behaviour.faultRule, lockingFor(ctx, behaviour).splitFault ? ['PageFault', 'FaultHandler'] : ['PageFault']),
      ...goals(ctx),
      ...liveness(ctx),
    },
    notes: { cut: cutWords(ctx, behaviour) },
  };
}

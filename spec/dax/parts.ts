// One design's model: schema, initial states, actions, properties, goals.
// The base model (ext4/xfs as landed) and every design are this function
// with a flavour and a behaviour.

import { bool, enumOf, type ScalarDomain } from '../../checker/domain.js';
import type { ModelParts } from '../../checker/model.js';
import { actionsFor, type Behaviour } from './actions/index.js';
import type { Constants } from './constants.js';
import { ctxFor, type Ctx } from './context.js';
import type { Flavour } from './flavour.js';
import { goals } from './goals.js';
import { properties } from './properties.js';
import { shapeOf, Size, type S, type Schema } from './state.js';

/**
 * Every file starts on storage, not yet looked up, with either value of the
 * flag. ext4/xfs files start empty or not (Ted Ts'o's rule needs empty ones);
 * virtiofs files start on either side of the server's size threshold.
 */
export function initFor(ctx: Ctx) {
  const sizes = ctx.flavour.fs === 'virtiofs' ? ['small', 'big'] as const : ['empty', 'small'] as const;
  const SizeAtStart = enumOf(...sizes);
  const params: Record<string, ScalarDomain> = {};
  for (let f = 0; f < ctx.F; f++) {
    params[`xflagDax_f${f + 1}`] = bool;
    params[`size_f${f + 1}`] = SizeAtStart;
  }
  return {
    params,
    effect: (s: S, a: Readonly<Record<string, number>>) => {
      for (let f = 0; f < ctx.F; f++) {
        s.xflagDax[f] = a[`xflagDax_f${f + 1}`]!;
        s.size[f] = Size[sizes[a[`size_f${f + 1}`]!]!];
      }
    },
  };
}

export function partsFor(c: Constants, flavour: Flavour, behaviour: Behaviour): ModelParts<Schema> {
  const ctx = ctxFor(c, flavour);
  return {
    schema: shapeOf(c).schema,
    init: initFor(ctx),
    actions: actionsFor(ctx, behaviour),
    properties: { ...properties(ctx, behaviour.faultRule), ...goals(ctx) },
  };
}

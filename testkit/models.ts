// Small models whose state spaces can be counted by hand.

import { arrayOf, bool, indexSet, int, record } from '../checker/domain.js';
import { actionsOf, defineModel, intConstant, type DesignInfo } from '../checker/model.js';
import type { View } from '../checker/layout.js';

const counterSchema = (n: number) => record({ x: int(0, n) });

/** x counts from 0 up to n and stops: n + 1 states, depth n, one deadlock at x = n. */
export const counterModel = defineModel({
  name: 'counter',
  summary: 'x := x + 1 up to n',
  constants: { n: intConstant(1, 1000, 5, 'the bound') },
  defaultDesign: 'plain',
  designs: {
    plain: { summary: 'increments by one' },
    overshoot: { summary: 'a buggy increment that can write n + 1', overshoots: true },
  } as Record<string, DesignInfo & { overshoots?: boolean }>,
  build: (c, d) => {
    const schema = counterSchema(c.n);
    type S = View<typeof schema>;
    const Inc = actionsOf<typeof schema>()({
      params: {},
      guard: d.overshoots ? (s) => s.x <= 1000 : (s) => s.x < c.n,
      effect: (s) => { s.x = s.x + 1; },
      label: () => 'Inc',
    });
    return {
      schema,
      init: { params: {}, effect: () => {} },
      actions: { Inc },
      properties: {
        BelowThree: { kind: 'invariant' as const, holds: (s: S) => s.x < 3, doc: 'x stays below 3' },
        StepsByOne: { kind: 'action' as const, holds: (b: S, _st, a: S) => a.x === b.x + 1 },
        ReachesTop: { kind: 'reachable' as const, reached: (s: S) => s.x === c.n },
        NeverTwoHundred: { kind: 'reachable' as const, reached: (s: S) => s.x === 200 },
        Positive: { kind: 'invariant' as const, holds: (s: S) => s.x >= 0, nonVacuousIf: ['NeverTwoHundred'] },
      },
    };
  },
});

/** k independent bits, each toggled by its own action instance: 2^k states, depth k. */
export const bitsModel = defineModel({
  name: 'bits',
  summary: 'k toggles',
  constants: { k: intConstant(1, 16, 3, 'number of bits') },
  defaultDesign: 'effect',
  designs: {
    effect: { summary: 'each toggle flips its bit in place' },
  },
  build: (c) => {
    const Bits = indexSet('b', c.k);
    const schema = record({ bit: arrayOf(Bits, bool) });
    type S = View<typeof schema>;
    return {
      schema,
      init: { params: {}, effect: () => {} },
      actions: { Toggle: actionsOf<typeof schema>()({ params: { i: Bits }, effect: (s, { i }) => { s.bit[i] = 1 - s.bit[i]!; } }) },
      properties: {},
      checkDeadlock: true,
    };
  },
});

/**
 * k bits, all clear at first; Set(i) sets bit i while every bit is clear:
 * k + 1 states, k + 1 generated. A successor that kept a slot of the one
 * generated before it (a copy of the state that missed a slot) would set two
 * bits and count more. k up to 96, so that the copy of both short and long
 * layouts (checker/successor-loop.ts) is covered.
 */
export const firstBitModel = defineModel({
  name: 'first-bit',
  summary: 'set one of k bits, once',
  constants: { k: intConstant(1, 96, 3, 'number of bits') },
  defaultDesign: 'plain',
  designs: { plain: { summary: 'the only design' } },
  build: (c) => {
    const Bits = indexSet('b', c.k);
    const schema = record({ bit: arrayOf(Bits, bool) });
    type S = View<typeof schema>;
    const allClear = (s: S) => { for (let j = 0; j < c.k; j++) if (s.bit[j] !== 0) return false; return true; };
    return {
      schema,
      init: { params: {}, effect: () => {} },
      actions: { Set: actionsOf<typeof schema>()({ params: { i: Bits }, guard: (s) => allClear(s), effect: (s, { i }) => { s.bit[i] = 1; } }) },
      properties: {},
      checkDeadlock: false,
    };
  },
});

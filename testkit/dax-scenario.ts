// A hand-written dax scenario played through the core as `daxcheck play`
// plays it: each step must be enabled, and the report says what each step
// changed, which properties fail after it, and whether the expectations hold.

import { compile } from '../checker/compile.js';
import { play, type PlayReport } from '../cli/play.js';
import { daxModel } from '../spec/dax/index.js';

export interface DaxScenario {
  readonly design: string;
  readonly constants?: Record<string, string | number>;
  /** The initial state, as `play --init` takes it (e.g. `size=[small]`). */
  readonly init?: string;
  readonly steps: readonly string[];
  /** `[STEP:]VARIABLE=VALUE`, as `play --expect` takes them. */
  readonly expect?: readonly string[];
}

export function playDax(s: DaxScenario): PlayReport {
  const cm = compile(daxModel, s.design, s.constants ?? {});
  return play(daxModel, cm, s.steps, { init: s.init, expect: s.expect }).report;
}

/** The properties that fail after step n (1-based). */
export const failsAfter = (r: PlayReport, n: number): readonly string[] => r.steps.find((x) => x.step === n)?.fails ?? [];

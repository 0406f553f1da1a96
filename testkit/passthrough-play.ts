// A hand-written scenario on the passthrough model, from its one initial state
// (testkit/refusal-play.ts says how steps are named and matched).

import { compile } from '../checker/compile.js';
import type { TraceStep } from '../checker/result.js';
import { passthroughModel } from '../spec/passthrough/index.js';
import { playFrom, type Step } from './refusal-play.js';

export { finalState, type Step } from './refusal-play.js';

export function play(design: string, steps: readonly Step[], constants: Record<string, string | number> = {}): TraceStep[] {
  const cm = compile(passthroughModel, design, constants);
  return playFrom(cm, cm.inits[0]!, steps);
}

// A hand-written scenario on the virtiofs-modes model, from the initial state
// whose server answer is `serverDax` (testkit/refusal-play.ts says how steps
// are named and matched).

import { compile } from '../checker/compile.js';
import type { TraceStep } from '../checker/result.js';
import { replayInstances } from '../checker/trace.js';
import { virtiofsModesModel } from '../spec/virtiofs-modes/index.js';
import { playFrom, type Step } from './refusal-play.js';

export { finalState, type Step } from './refusal-play.js';

export function play(design: string, serverDax: boolean, steps: readonly Step[], constants: Record<string, string | number> = {}): TraceStep[] {
  const cm = compile(virtiofsModesModel, design, constants);
  const init = cm.inits.find((i) => (replayInstances(cm, i, [])[0]!.state as { serverDax: boolean }).serverDax === serverDax)!;
  return playFrom(cm, init, steps);
}

/** Each step's label, the initial state left out. */
export const labels = (trace: readonly TraceStep[]): string[] => trace.slice(1).map((t) => t.label);

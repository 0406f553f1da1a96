// Replays a hand-written scenario on the passthrough model: each step names an
// action and the parameters that matter; slot parameters the canonical form
// decides (`-> file1`, `-> vma2`) may be left out. A step that is not enabled
// fails the test with its name, which is how the scenarios assert an errno.

import { compile, type ActionInstance } from '../../checker/compile.js';
import type { TraceStep } from '../../checker/result.js';
import { replayInstances } from '../../checker/trace.js';
import { passthroughModel } from '../../spec/passthrough/index.js';

export type Step = readonly [action: string, params?: Record<string, string | number | boolean>];

export function play(design: string, steps: readonly Step[], constants: Record<string, string | number> = {}): TraceStep[] {
  const cm = compile(passthroughModel, design, constants);
  const init = cm.inits[0]!;
  const path: ActionInstance[] = [];
  const enabled = (inst: ActionInstance) => {
    try { replayInstances(cm, init, [...path, inst]); return true; } catch { return false; }
  };
  for (const [action, want = {}] of steps) {
    const match = cm.instances.find((inst) => inst.name === action
      && Object.entries(want).every(([k, v]) => cm.showParams(inst)[k] === v)
      && enabled(inst));
    if (!match) throw new Error(`step ${path.length + 1}, ${action} ${JSON.stringify(want)}, is not enabled`);
    path.push(match);
  }
  return replayInstances(cm, init, path);
}

/** The decoded state after the last step. */
export function finalState(trace: readonly TraceStep[]): any {
  return trace.at(-1)!.state;
}

// A trace's steps as the model's presentation sees them (checker/presentation.ts):
// the action, its shown parameters and the states around it. The one place
// traces/ turns a step into the model's kernel words.

import type { Presentation, ShownStep } from '../checker/presentation.js';
import type { Trace } from '../checker/result.js';

/** Step `i` (1 or later) of a trace, with the states before and after it. */
export function shownStep(trace: Trace, i: number): ShownStep {
  const s = trace.steps[i]!;
  // Only an initial state's parameters can be whole functions; a step's are scalars.
  return { action: s.action, params: s.params as ShownStep['params'], before: trace.steps[i - 1]!.state, after: s.state };
}

/**
 * Kernel words for step `i`, when the model has words for its action. Words
 * are a reading aid beside the model's own label, so a step they cannot say
 * (a trace from another tool with parameters the model does not take) prints
 * without them rather than failing the command.
 */
export function kernelWords(presentation: Presentation | undefined, trace: Trace, i: number): string | undefined {
  if (i === 0) return undefined;
  const words = presentation?.words[trace.steps[i]!.action];
  if (!words) return undefined;
  try {
    return words(shownStep(trace, i));
  } catch {
    return undefined;
  }
}

// A trace as text: each step in the model's words and, when the model's
// presentation has them, in the kernel's words; then only the variables it
// changed (old -> new). check, simulate, show and replay all print traces
// here. Colour only when asked (the caller decides from the terminal and
// NO_COLOR).

import pc from 'picocolors';
import type { Presentation } from '../checker/presentation.js';
import type { Trace } from '../checker/result.js';
import { showValue } from '../checker/show.js';
import { changes } from './flatten.js';
import { kernelWords } from './words.js';

export interface ExplainOptions {
  readonly color?: boolean;
  /** A line to print under the step where the property fails. */
  readonly failureNote?: string;
  /** The model's presentation (ModelDef.presentation): its kernel words are printed after each label. */
  readonly presentation?: Presentation;
  /** Extra lines under a step, by step index (replay's verdict on it). */
  readonly notes?: ReadonlyMap<number, readonly string[]>;
}

/** Where a lasso's cycle starts and ends: it repeats forever from its last step back to the step after loopIndex. */
function lassoMark(trace: Trace, i: number): string {
  const k = trace.loopIndex;
  const last = trace.steps.length - 1;
  if (k === undefined) return '';
  if (i === k && k === last) return '  <- loop: stays in this state forever (stuttering: no further step is assumed)';
  if (i === k) return '  <- loop starts here';
  if (i === last) return `  <- loop ends: back in step ${k}'s state, steps ${k + 1}..${last} repeat forever`;
  return '';
}

export function explainTrace(trace: Trace, opts: ExplainOptions = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const lines: string[] = [];
  const steps = trace.steps;
  steps.forEach((s, i) => {
    const loop = c.magenta(lassoMark(trace, i));
    const words = kernelWords(opts.presentation, trace, i);
    lines.push(`${c.bold(`${String(i).padStart(3)}.`)} ${c.cyan(s.label)}${words ? c.dim(`   ${words}`) : ''}${loop}`);
    const failsHere = trace.violatingStep === i || (trace.violatingStep === undefined && i === steps.length - 1);
    if (i === 0) {
      // The whole initial state, one variable a line, as TLC prints it.
      for (const [k, v] of Object.entries((s.state ?? {}) as Record<string, unknown>)) lines.push(`       ${k} = ${showValue(v)}`);
    } else {
      const diff = changes(steps[i - 1]!.state, s.state, trace.variables);
      if (diff.length === 0) lines.push(c.dim('       (no variable changed)'));
      for (const d of diff) lines.push(`       ${d.variable}: ${c.red(showValue(d.before))} -> ${c.green(showValue(d.after))}`);
    }
    for (const n of opts.notes?.get(i) ?? []) lines.push(`       ${n}`);
    if (failsHere && opts.failureNote) lines.push(`       ${c.bold(c.red(opts.failureNote))}`);
  });
  return lines.join('\n');
}

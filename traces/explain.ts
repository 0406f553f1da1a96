// A trace as text: each step in the model's words, then only the variables
// it changed (old -> new). Colour only when asked (the caller decides from
// the terminal and NO_COLOR).

import pc from 'picocolors';
import type { Trace, TraceStep } from '../checker/result.js';
import { changes } from './flatten.js';

export interface ExplainOptions {
  readonly color?: boolean;
  /** A line to print under the step where the property fails. */
  readonly failureNote?: string;
  /** What a program does for a step, in the kernel's words (syscalls.ts); printed after the label. */
  readonly words?: (step: TraceStep) => string | undefined;
  /** Extra lines under a step, by step index (replay's verdict on it). */
  readonly notes?: ReadonlyMap<number, readonly string[]>;
}

export function explainTrace(trace: Trace, opts: ExplainOptions = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const lines: string[] = [];
  const steps = trace.steps;
  steps.forEach((s, i) => {
    const loop = trace.loopIndex === i ? c.magenta('  <- loop starts here') : '';
    const words = i > 0 ? opts.words?.(s) : undefined;
    lines.push(`${c.bold(`${String(i).padStart(3)}.`)} ${c.cyan(s.label)}${words ? c.dim(`   ${words}`) : ''}${loop}`);
    const failsHere = trace.violatingStep === i || (trace.violatingStep === undefined && i === steps.length - 1);
    if (i === 0) {
      // The whole initial state, one variable a line, as TLC prints it.
      for (const [k, v] of Object.entries((s.state ?? {}) as Record<string, unknown>)) lines.push(`       ${k} = ${fmt(v)}`);
    } else {
      const diff = changes(steps[i - 1]!.state, s.state, trace.variables);
      if (diff.length === 0) lines.push(c.dim('       (no variable changed)'));
      for (const d of diff) lines.push(`       ${d.variable}: ${c.red(fmt(d.before))} -> ${c.green(fmt(d.after))}`);
    }
    for (const n of opts.notes?.get(i) ?? []) lines.push(`       ${n}`);
    if (failsHere && opts.failureNote) lines.push(`       ${c.bold(c.red(opts.failureNote))}`);
  });
  return lines.join('\n');
}

function fmt(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

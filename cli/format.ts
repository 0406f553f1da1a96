// Text and JSON renderings of a run, following model-checker habits (TLC's
// summary lines, coverage, collision probability).

import Table from 'cli-table3';
import pc from 'picocolors';
import type { Presentation } from '../checker/presentation.js';
import { showConstants } from '../checker/show.js';
import { exitCodeOf, outcomeOf, type CheckResult, type Progress, type PropertyResult, type Trace } from '../checker/result.js';
import { explainTrace } from '../traces/explain.js';

export const num = (n: number) => Math.round(n).toLocaleString('en-US');

export function rate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k`;
  return perSecond.toFixed(0);
}

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

export function progressLine(p: Progress): string {
  return `Progress: ${p.seconds.toFixed(0)} s, ${num(p.distinctStates)} distinct states, ${num(p.statesGenerated)} generated, ` +
    `queue ${num(p.queue)}, depth ${p.depth}, ${rate(p.distinctStates / Math.max(p.seconds, 1e-9))} distinct/s, RSS ${mib(p.rssBytes)}`;
}

export function statusWord(p: PropertyResult, color: boolean): string {
  const c = pc.createColors(color);
  switch (p.status) {
    case 'holds': return c.green('holds');
    case 'reached': return c.green('reached');
    case 'violated': return c.red(c.bold('VIOLATED'));
    case 'vacuous': return c.yellow('VACUOUS');
    case 'bounded': return c.yellow(p.kind === 'reachable' ? 'not reached before the search stopped' : 'no violation up to the bound');
  }
}

/** `presentation`: the model's (ModelDef.presentation), for the kernel words beside each step of a trace. */
export function formatResult(r: CheckResult, opts: { color: boolean; coverage?: boolean; witnesses?: boolean; presentation?: Presentation }): string {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  const consts = showConstants(r.constants);
  out.push(c.bold(`Model ${r.model}, design ${r.design}${consts ? `, ${consts}` : ''}`));
  const violated = r.properties.filter((p) => p.status === 'violated');
  if (violated.length || r.deadlock) {
    out.push(c.red(c.bold(`Error: ${[...violated.map((p) => `${p.name} is violated`), ...(r.deadlock ? ['deadlock reached'] : [])].join('; ')}.`)));
  } else if (r.complete) {
    out.push(c.green('Model checking completed. No error has been found.'));
  } else {
    out.push(c.yellow(`Search incomplete (${r.incompleteReason}): no violation up to that point, which is not a proof.`));
  }
  if (!r.complete && (violated.length || r.deadlock)) out.push(c.dim(`(search incomplete: ${r.incompleteReason})`));
  if (r.livenessSkipped) out.push(c.yellow(r.livenessSkipped));

  out.push('');
  if (r.cutShortBy) out.push(`  incomplete: ${r.cutShortBy}`);
  out.push(`  ${num(r.distinctStates)} distinct states, ${num(r.statesGenerated)} states generated, depth ${r.depth}, ${num(r.queueLeft)} left on queue`);
  out.push(`  ${r.seconds.toFixed(2)} s, ${rate(r.statesPerSecond)} distinct states/s, ${rate(r.statesGenerated / Math.max(r.seconds, 1e-9))} generated/s`);
  if (r.symmetry) {
    const stand = r.symmetry.representedStates !== undefined ? `; they stand for ${num(r.symmetry.representedStates)} states without it` : '';
    out.push(`  symmetry reduction on: ${r.symmetry.sets.join(', ')} renamed, one state per orbit${stand}`);
  }
  if (r.partialOrder) out.push(`  partial-order reduction on over ${r.partialOrder.components}: ${num(r.partialOrder.reducedStates)} states expanded with one component's steps only (traces need not be the shortest)`);
  out.push(`  fingerprint collision probability (optimistic): ${r.collisionProbability.toExponential(1)}`);
  out.push(`  memory: fingerprint store ${mib(r.storeBytes)} (${(r.storeBytes / Math.max(r.distinctStates, 1)).toFixed(1)} bytes/state), peak RSS ${mib(r.peakRssBytes)}`);

  out.push('');
  out.push(c.bold('Properties:'));
  const t = new Table({ head: ['property', 'kind', 'verdict', 'trace'], style: { head: [], border: [] }, chars: plainChars() });
  for (const p of r.properties) {
    const len = p.trace ? `${p.trace.steps.length - 1} steps` : '';
    const why = [
      ...(p.triggerNeverReached ? [`trigger never reached: ${p.triggerNeverReached}`] : []),
      ...(p.vacuousBecause ? [`goal never reached: ${p.vacuousBecause.join(', ')}`] : []),
    ].map((w) => ` (${w})`).join('');
    t.push([p.name, p.kind, statusWord(p, opts.color) + why, len]);
  }
  if (r.deadlock) t.push(['Deadlock', 'deadlock', c.red(c.bold('REACHED')), `${r.deadlock.trace.steps.length - 1} steps`]);
  out.push(t.toString());

  for (const p of violated) {
    out.push('');
    out.push(c.bold(c.red(`Counterexample for ${p.name} (${p.trace!.steps.length - 1} steps):`)));
    out.push(explainTrace(p.trace!, { color: opts.color, presentation: opts.presentation, failureNote: `${p.name} fails here${p.doc ? `: ${p.doc}` : ''}` }));
  }
  if (r.deadlock) {
    out.push('');
    out.push(c.bold(c.red(`Deadlock after ${r.deadlock.trace.steps.length - 1} steps (no action is enabled):`)));
    out.push(explainTrace(r.deadlock.trace, { color: opts.color, presentation: opts.presentation, failureNote: 'no action is enabled here' }));
  }
  if (opts.witnesses) {
    for (const p of r.properties.filter((x) => x.status === 'reached')) {
      out.push('');
      out.push(c.bold(`Witness for goal ${p.name} (${p.trace!.steps.length - 1} steps):`));
      out.push(explainTrace(p.trace!, { color: opts.color, presentation: opts.presentation }));
    }
  }

  if (opts.coverage !== false) {
    out.push('');
    out.push(c.bold('Coverage (per action):'));
    const cov = new Table({ head: ['action', 'enabled in states', 'generated', 'distinct new'], style: { head: [], border: [] }, chars: plainChars(), colAligns: ['left', 'right', 'right', 'right'] });
    for (const a of r.coverage) cov.push([a.action, num(a.enabledInStates), num(a.generated), num(a.distinct)]);
    out.push(cov.toString());
    const never = r.coverage.filter((a) => a.enabledInStates === 0).map((a) => a.action);
    if (never.length) out.push(c.yellow(`Warning: never enabled: ${never.join(', ')}${r.complete ? '' : ' (in the part explored)'}`));
  }
  return out.join('\n');
}

/** The JSON of a run: traces become lists of steps. */
export function resultJson(r: CheckResult): unknown {
  const traceJson = (t: Trace | undefined) => t?.steps;
  const { coverage, ...rest } = r;
  return {
    ...rest,
    outcome: outcomeOf(r),
    exitCode: exitCodeOf(r),
    properties: r.properties.map((p) => ({
      name: p.name, kind: p.kind, holds: p.holds, status: p.status,
      ...(p.doc ? { doc: p.doc } : {}),
      ...(p.vacuousBecause ? { vacuousBecause: p.vacuousBecause } : {}),
      ...(p.triggerNeverReached ? { triggerNeverReached: p.triggerNeverReached } : {}),
      ...(p.trace ? { trace: traceJson(p.trace), ...(p.trace.violatingStep !== undefined ? { violatingStep: p.trace.violatingStep } : {}),
        ...(p.trace.loopIndex !== undefined ? { loop: p.trace.loopIndex } : {}) } : {}),
    })),
    deadlock: r.deadlock ? { trace: traceJson(r.deadlock.trace) } : undefined,
    coverage,
  };
}

export function plainChars(): Record<string, string> {
  return {
    top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
    left: '  ', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
  };
}

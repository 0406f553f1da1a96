// A replay's verdict as text: the replayed steps as explain.ts prints them,
// each divergence at its step, and a closing verdict that answers "does this
// design still allow the trace that broke the old one?".

import pc from 'picocolors';
import type { Presentation } from '../checker/presentation.js';
import { showConstants, showValue } from '../checker/show.js';
import type { LeftOut } from './codec.js';
import type { ReplayReport } from './replay.js';
import { explainTrace } from './explain.js';

/** Which variables a replay compared (`Compared`) or show printed (`Shown`), when the trace's and the design's differ. */
export function leftOutLine(verb: 'Compared' | 'Shown', leftOut: LeftOut, design: string): string {
  const { notInModel, notInTrace } = leftOut;
  const parts = [
    ...(notInModel.length ? [`the trace's ${notInModel.join(', ')} (design ${design} does not have ${notInModel.length > 1 ? 'them' : 'it'})`] : []),
    ...(notInTrace.length ? [`design ${design}'s ${notInTrace.join(', ')} (the trace does not record ${notInTrace.length > 1 ? 'them' : 'it'})`] : []),
  ];
  return `${verb} on the variables both have; left out: ${parts.join('; ')}.`;
}

/** `presentation`: the model's (ModelDef.presentation), for the kernel words beside each step. */
export function formatReplay(r: ReplayReport, opts: { color: boolean; presentation?: Presentation }): string {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  const consts = showConstants(r.constants);
  const from = r.recordedDesign && r.recordedDesign !== r.design ? ` (recorded under ${r.recordedDesign})` : '';
  out.push(c.bold(`Replaying ${r.source}: ${r.recordedSteps} steps, model ${r.model}, design ${r.design}${from}${consts ? `, ${consts}` : ''}`));
  if (r.expected) {
    const at = r.expected.step !== undefined ? ` at step ${r.expected.step}` : '';
    out.push(`The trace shows ${r.expected.kind === 'reachable' ? `goal ${r.expected.property} reached` : r.expected.kind === 'deadlock' ? 'a deadlock' : `${r.expected.property} failing`}${at}.`);
  }
  if (r.leftOut) out.push(leftOutLine('Compared', r.leftOut, r.design));
  out.push('');

  const notes = new Map<number, string[]>();
  const add = (i: number, line: string) => notes.set(i, [...(notes.get(i) ?? []), line]);
  if (r.stateDivergence) {
    const d = r.stateDivergence;
    add(d.step, c.yellow(c.bold(`DIVERGES: the resulting state differs from the recorded one`)));
    for (const v of d.diffs) add(d.step, c.yellow(`  ${v.variable}: recorded ${showValue(v.recorded)}, replayed ${showValue(v.replayed)}`));
    add(d.step, c.dim('  (replay goes on with the recorded actions from the replayed state)'));
  }
  for (const e of r.events) {
    const what = e.status === 'reached' ? `goal ${e.property} is reached here` : e.kind === 'deadlock' ? 'no action is enabled here (deadlock)' : `${e.property} fails here`;
    add(e.step, (e.status === 'reached' ? c.green : (s: string) => c.bold(c.red(s)))(`${what}${e.doc && e.kind !== 'deadlock' ? `: ${e.doc}` : ''}`));
  }
  const trace = r.trace;
  out.push(explainTrace({ ...trace, violatingStep: -1 }, {
    color: opts.color,
    presentation: opts.presentation,
    notes,
  }));

  if (r.refusal) {
    const f = r.refusal;
    out.push(`${c.bold(`${String(f.step).padStart(3)}.`)} ${c.cyan(f.label)}`);
    switch (f.reason) {
      case 'guard':
        out.push(`       ${c.bold(c.red(`REFUSED: ${f.action} is not enabled under design ${r.design}`))}`);
        if (f.guardDoc) out.push(`       guard: ${f.guardDoc}`);
        if (f.guardSource) out.push(`       guard source: ${oneLine(f.guardSource)}`);
        if (f.reads && f.reads.length) out.push(`       the guard read: ${f.reads.map((x) => `${x.variable} = ${showValue(x.value)}`).join(', ')}`);
        if (f.actionSource) out.push(c.dim(`       action source: ${f.actionSource}`));
        break;
      case 'effect':
        out.push(`       ${c.bold(c.red(`REFUSED: ${f.action}'s effect refused the step under design ${r.design}`))}`);
        break;
      case 'no-such-action':
        out.push(`       ${c.bold(c.red(`REFUSED: design ${r.design} has no action ${f.action}`))} (its actions: ${(f.known ?? []).join(', ')})`);
        break;
      case 'parameters-differ':
        out.push(`       ${c.bold(c.red(`REFUSED: design ${r.design} has no ${f.action} like this one`))}: ${f.detail?.replace(/^step \d+, /, '')}`);
        break;
      case 'no-initial-state':
        out.push(`       ${c.bold(c.red(`REFUSED: design ${r.design} has no initial state like the recorded one`))}`);
        break;
      case 'loop-does-not-close':
        out.push(`       ${c.bold(c.red(`REFUSED: no action of design ${r.design} leads from the last step back to step ${r.trace.loopIndex}, where the loop starts`))}`);
        break;
      case 'no-action-leads-there':
        out.push(`       ${c.bold(c.red(`REFUSED: no action of design ${r.design} leads from step ${f.step - 1} to the recorded step ${f.step}`))}`);
        break;
    }
    if (f.alternatives?.length) out.push(`       this design would take instead: ${f.alternatives.join(' | ')}`);
    if (f.step < r.recordedSteps) out.push(c.dim(`       (steps ${f.step + 1}..${r.recordedSteps} not replayed)`));
  }

  if (r.loopClosedBy) out.push(c.magenta(`       the loop closes: ${r.loopClosedBy} leads back to step ${r.trace.loopIndex}`));
  else if (r.loopClosedBy === '') out.push(c.magenta(`       the loop closes: the last state is step ${r.trace.loopIndex}'s state again`));
  if (r.unfair?.length) out.push(`       ${c.bold(c.red(`the loop is not fair: it breaks ${r.unfair.join(', ')}`))}`);
  else if (r.unfair) out.push(c.magenta('       the loop is fair: every fairness assumption of the property holds on it'));
  out.push('');
  out.push(verdictLine(r, opts.color));
  return out.join('\n');
}

function verdictLine(r: ReplayReport, color: boolean): string {
  const c = pc.createColors(color);
  const fails = r.expected ? r.events.find((e) => e.property === r.expected!.property || (r.expected!.kind === 'deadlock' && e.kind === 'deadlock')) : r.events.find((e) => e.status === 'fails');
  const what = r.expected?.property ?? 'a property';
  const prop = fails ? `${fails.property} ${fails.status === 'reached' ? 'is reached' : 'fails'} at step ${fails.step}` : `${what} ${r.expected?.kind === 'reachable' ? 'is not reached' : 'does not fail'}`;
  switch (r.verdict) {
    case 'reproduces':
      return c.red(c.bold(`Reproduced: every step is enabled under design ${r.design} and gives the recorded state; ${prop}.`));
    case 'no-violation':
      return c.green(c.bold(`Replays exactly under design ${r.design}, but ${prop}.`));
    case 'diverges': {
      const first = [r.stateDivergence?.step, r.refusal?.step].filter((x): x is number => x !== undefined);
      const where = Math.min(...first);
      const how = r.stateDivergence && r.stateDivergence.step === where
          ? `step ${where} (${r.stateDivergence.label}) gives a different state (${r.stateDivergence.diffs.map((d) => d.variable).join(', ')})`
          : `step ${where} (${r.refusal!.label}) is refused (${r.refusal!.reason})`;
      const then = r.refusal && r.refusal.step > where ? `, and step ${r.refusal.step} (${r.refusal.label}) is then refused` : '';
      const still = fails && fails.status === 'fails' ? c.red(`; ${prop} all the same`) : `; ${prop} in the replay`;
      return c.green(c.bold(`Diverges under design ${r.design}: ${how}${then}`)) + still + '.';
    }
  }
}

function oneLine(src: string): string {
  return src.replace(/\s+/g, ' ').trim();
}

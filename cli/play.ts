// `daxcheck play <model> STEP...`: a kernel scenario walked step by step
// through the transition core, e.g. 'Open p=p1 f=f1' 'SetFlag p=p1 f=f1
// v=true' 'Statx f=f1'. Each step prints its kernel words and the variables
// it changed; a step the design refuses ends the run (exit 1) with the guard
// in the kernel's words, the values the guard read and the forms of the
// action the design would take instead. `--expect [N:]VAR=VALUE` checks a
// variable after step N (default: after the last step); a failed expectation
// is exit 1. Malformed steps are bad input (exit 2).

import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import pc from 'picocolors';
import { type ActionInstance, type CompiledModel, compile, parseParam, sameParam } from '../checker/compile.js';
import { TransitionCore } from '../checker/core.js';
import { describeDomain, showScalar } from '../checker/domain.js';
import { UsageError } from '../checker/errors.js';
import type { ModelDef } from '../checker/model.js';
import type { TraceStep } from '../checker/result.js';
import { traceStep } from '../checker/trace.js';
import { encodeTrace } from '../traces/encode.js';
import { formatItf } from '../traces/itf-write.js';
import { type Refusal, enabledSiblings, refusalOf } from '../traces/replay-steps.js';
import { useColor } from './color.js';
import { collectConst } from './constants.js';
import { loadDesignFiles } from './design-file.js';
import { collectFile, designToRun, modelWithDesigns } from './registry.js';

interface PlayOptions {
  design?: string; designFile?: string[]; modelFile?: string[]; const?: Record<string, string>;
  init?: string; expect?: string[]; traceOut?: string; json?: boolean; loop?: string;
}

export interface PlayedStep {
  readonly step: number;
  readonly label: string;
  readonly words?: string;
  readonly changed: readonly { variable: string; before: unknown; after: unknown }[];
  /** Properties that fail on this step or in the state after it. */
  readonly fails: readonly string[];
}

export interface Expectation { readonly after: number; readonly variable: string; readonly want: string; readonly got?: string; readonly ok: boolean }

export interface PlayReport {
  readonly model: string;
  readonly design: string;
  readonly constants: Readonly<Record<string, number | string>>;
  readonly steps: readonly PlayedStep[];
  readonly refusal?: Refusal;
  readonly expectations: readonly Expectation[];
  /** With --loop N: the steps after N are a cycle, and whether the last state is step N's state again. */
  readonly loop?: { readonly at: number; readonly closes: boolean };
  readonly ok: boolean;
}

/** `Open p=p1 f=f1` -> the action and its parameters as printed; a list value is `[a,b]`. */
export function parseStep(text: string): { action: string; params: Record<string, string | string[]> } {
  const [action, ...rest] = text.trim().split(/\s+/);
  if (!action) throw new UsageError('an empty step; a step is an action and its parameters, e.g. \'Open p=p1 f=f1\'');
  const params: Record<string, string | string[]> = {};
  for (const tok of rest) {
    const m = /^([A-Za-z_]\w*)=(.+)$/.exec(tok);
    if (!m) throw new UsageError(`step '${text}': '${tok}' is not NAME=VALUE (e.g. p=p1, v=true)`);
    const v = m[2]!;
    params[m[1]!] = /^\[.*\]$/.test(v) ? v.slice(1, -1).split(',').map((x) => x.trim()).filter(Boolean) : v;
  }
  return { action, params };
}

/** The instances of `action` that the given parameters allow (unnamed parameters range over everything). */
function candidates(cm: CompiledModel, text: string, isInit: boolean): ActionInstance[] {
  const { action, params } = parseStep(text);
  if (!isInit && !cm.actionNames.includes(action)) {
    throw new UsageError(`step '${text}': design ${cm.design} has no action '${action}'; its actions are: ${cm.actionNames.join(', ')}`);
  }
  const spec = cm.paramDomains(isInit ? 'Init' : action);
  const want: Record<string, ReturnType<typeof parseParam>> = {};
  for (const [k, raw] of Object.entries(params)) {
    const d = spec[k];
    if (!d) throw new UsageError(`step '${text}': ${isInit ? 'Init' : action} has no parameter '${k}'; its parameters are: ${Object.keys(spec).join(', ') || '(none)'}`);
    const v = parseParam(d, raw);
    if (v === undefined) throw new UsageError(`step '${text}': ${k}=${Array.isArray(raw) ? `[${raw.join(',')}]` : raw} is not in ${describeDomain(d)}`);
    want[k] = v;
  }
  const pool = isInit ? cm.inits : cm.instances.filter((i) => i.name === action);
  return pool.filter((i) => Object.keys(want).every((k) => sameParam(i.params[k], want[k])));
}

function parseExpectation(raw: string, steps: number): { after: number; variable: string; want: string } {
  const m = /^(?:(\d+):)?([^=]+)=(.+)$/.exec(raw.trim());
  if (!m) throw new UsageError(`--expect ${raw}: give [STEP:]VARIABLE=VALUE, e.g. --expect 'sDax[f1]=true' or --expect '2:fd[p1][f1]=O_RDWR'`);
  const after = m[1] !== undefined ? Number(m[1]) : steps;
  if (after > steps) throw new UsageError(`--expect ${raw}: there are only ${steps} steps`);
  return { after, variable: m[2]!.trim(), want: m[3]!.trim() };
}

/** --loop N: a step index in 0..steps. */
function parseLoop(raw: string | undefined, steps: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) > steps) throw new UsageError(`--loop ${raw}: give the step the cycle returns to, a number in 0..${steps}`);
  return Number(raw);
}

export function play(model: ModelDef<any, any>, cm: CompiledModel, stepTexts: readonly string[], o: { init?: string; expect?: readonly string[]; loop?: string }): { report: PlayReport; trace: TraceStep[]; loopIndex?: number } {
  const loopAt = parseLoop(o.loop, stepTexts.length);
  const core = new TransitionCore(cm, cm);
  const { cur, next, layout } = { ...core, layout: cm.layout };
  const words = model.presentation?.words ?? {};
  const expectations = (o.expect ?? []).map((e) => parseExpectation(e, stepTexts.length));
  for (const e of expectations) {
    if (!layout.slotNames.includes(e.variable)) {
      throw new UsageError(`--expect ${e.variable}=${e.want}: no variable '${e.variable}'; variables are written as in a trace, e.g. ${layout.slotNames.slice(0, 3).join(', ')}`);
    }
  }
  const results: Expectation[] = [];
  const checkExpectations = (after: number) => {
    for (const e of expectations.filter((x) => x.after === after)) {
      const slot = layout.slotNames.indexOf(e.variable);
      const got = String(showScalar(layout.slotDomains[slot]!, next[slot]!));
      results.push({ ...e, got, ok: got === e.want });
    }
  };
  const failing: number[] = [];
  const failsNow = (i?: number): string[] => {
    const out: string[] = [];
    if (i !== undefined) { core.failingActionProperties(i, failing); for (const k of failing) out.push(cm.actionProperties[k]!.name); }
    core.checkNext();
    for (let h = 0; h < core.invHitCount; h++) out.push(cm.invariants[core.invHits[h]!]!.name);
    return out;
  };

  // The initial state: the one --init names (parameters as a trace prints them), else the first.
  const inits = candidates(cm, `Init ${o.init ?? ''}`, true).filter((i) => core.initial(i));
  if (inits.length === 0) throw new UsageError(`--init ${o.init}: no initial state of design ${cm.design} has these values`);
  const init = inits[0]!;
  core.initial(init);
  const trace: TraceStep[] = [traceStep(cm, 0, init, next)];
  const steps: PlayedStep[] = [{ step: 0, label: cm.label(init), changed: [], fails: failsNow() }];
  checkExpectations(0);
  let refusal: Refusal | undefined;
  const states: Int32Array[] = [next.slice()];

  for (let n = 1; n <= stepTexts.length && !refusal; n++) {
    const text = stepTexts[n - 1]!;
    cur.set(next);
    const forms = candidates(cm, text, false);
    if (forms.length === 0) throw new UsageError(`step ${n} '${text}': no form of the action takes these parameters`);
    let inst: ActionInstance;
    if (forms.length === 1) inst = forms[0]!;
    else {
      const enabled = forms.filter((f) => core.step(f) === undefined).map((f) => ({ f, label: cm.label(f, cur, next) }));
      next.set(cur);
      if (enabled.length === 1) inst = enabled[0]!.f;
      else if (enabled.length === 0) inst = forms[0]!;
      else {
        throw new UsageError(`step ${n} '${text}' is ambiguous: ${enabled.length} forms are enabled here: `
          + `${enabled.map((e) => `'${text.split(/\s+/)[0]} ${Object.entries(cm.showParams(e.f)).map(([k, v]) => `${k}=${v}`).join(' ')}' (${e.label})`).join(', ')}`);
      }
    }
    const refused = refusalOf(core, inst, n, cm.label(inst));
    if (refused) {
      const alts = enabledSiblings(core, inst);
      refusal = { ...refused, ...(alts.length ? { alternatives: alts } : {}) };
      next.set(cur);
      break;
    }
    const before = layout.decode(cur);
    const after = layout.decode(next);
    const shown = cm.showParams(inst);
    const w = words[inst.name];
    const changed: { variable: string; before: unknown; after: unknown }[] = [];
    for (let s = 0; s < layout.slots; s++) {
      if (cur[s] !== next[s]) changed.push({ variable: layout.slotNames[s]!, before: showScalar(layout.slotDomains[s]!, cur[s]!), after: showScalar(layout.slotDomains[s]!, next[s]!) });
    }
    steps.push({
      step: n, label: cm.label(inst, cur, next), ...(w ? { words: w({ action: inst.name, params: shown as never, before, after }) } : {}),
      changed, fails: failsNow(cm.instances.indexOf(inst)),
    });
    trace.push(traceStep(cm, n, inst, next, cur));
    states.push(next.slice());
    checkExpectations(n);
  }
  // A lasso: the last state must be the loop's state again (then the steps after it repeat forever).
  const loop = loopAt !== undefined && !refusal ? { at: loopAt, closes: states[loopAt]!.every((x, j) => x === next[j]) } : undefined;
  const ok = !refusal && results.every((e) => e.ok) && results.length === expectations.length && (loop === undefined || loop.closes);
  return {
    report: { model: cm.model, design: cm.design, constants: cm.constants, steps, ...(refusal ? { refusal } : {}), expectations: results, ...(loop ? { loop } : {}), ok },
    trace, ...(loop?.closes ? { loopIndex: loop.at } : {}),
  };
}

export function formatPlay(r: PlayReport, color: boolean): string {
  const c = pc.createColors(color);
  const out: string[] = [c.bold(`Playing model ${r.model}, design ${r.design}`)];
  const expect = (n: number) => r.expectations.filter((e) => e.after === n).map((e) =>
    e.ok ? c.green(`       expected ${e.variable} = ${e.want}: yes`) : c.red(c.bold(`       EXPECTATION FAILED: ${e.variable} = ${e.got}, expected ${e.want}`)));
  for (const s of r.steps) {
    out.push(`  ${s.step}. ${s.label}${s.words ? `   ${c.cyan(s.words)}` : ''}`);
    for (const d of s.changed) out.push(`       ${d.variable}: ${JSON.stringify(d.before)} -> ${JSON.stringify(d.after)}`);
    for (const f of s.fails) out.push(c.red(`       ${f} fails here`));
    out.push(...expect(s.step));
  }
  const f = r.refusal;
  if (f) {
    out.push(c.red(c.bold(`  ${f.step}. ${f.label}: REFUSED by design ${r.design} (${f.reason === 'guard' ? 'its guard does not hold' : 'its effect refuses'})`)));
    if (f.guardDoc) out.push(`       the guard: ${f.guardDoc}`);
    if (f.reads?.length) out.push(`       it read: ${f.reads.map((x) => `${x.variable} = ${JSON.stringify(x.value)}`).join(', ')}`);
    out.push(f.alternatives?.length ? `       the design would take instead: ${f.alternatives.join('; ')}` : '       no other form of the action is enabled here');
  }
  if (r.loop) {
    out.push(r.loop.closes ? c.magenta(`  the loop closes: the last state is step ${r.loop.at}'s state again, so steps ${r.loop.at + 1}..${r.steps.length - 1} can repeat forever`)
      : c.red(c.bold(`  THE LOOP DOES NOT CLOSE: the last state is not step ${r.loop.at}'s state`)));
  }
  out.push(r.ok ? c.green('Every step was taken' + (r.expectations.length ? ' and every expectation holds.' : '.'))
    : c.red(f ? `Stopped at step ${f.step}: the design refuses it.` : r.loop && !r.loop.closes ? 'The loop does not close.' : 'An expectation failed.'));
  return out.join('\n');
}

export function registerPlay(program: Command): void {
  program.command('play <model> <steps...>')
    .description("walk a scenario step by step, e.g. play dax 'Open p=p1 f=f1' 'SetFlag p=p1 f=f1 v=true' 'Statx f=f1'")
    .option('--design <D>', 'the design to play (default: the model\'s own, or the design file\'s)')
    .option('--design-file <FILE>', 'load designs from a TypeScript or JavaScript file (repeatable)', collectFile)
    .option('--model-file <FILE>', 'load a whole model from a TypeScript or JavaScript file (repeatable); name it as the model', collectFile)
    .option('--const <NAME=VALUE>', 'set a constant (repeatable)', collectConst)
    .option('--init <PARAMS>', "the initial state, as its parameters, e.g. 'xflagDax=[true] size=[small]' (default: the first)")
    .option('--expect <[N:]VAR=VALUE>', 'after step N (default: the last) VAR must be VALUE, e.g. \'sDax[f1]=true\' (repeatable)', collectFile)
    .option('--loop <N>', 'the steps after step N are a cycle (a lasso, as a liveness counterexample\'s): the last state must be step N\'s again')
    .option('--trace-out <FILE>', 'save the steps taken as an ITF trace that replay and show read (with --loop, a lasso)')
    .option('--json', 'print the report as JSON')
    .action(async (name: string, stepTexts: string[], o: PlayOptions) => {
      const { model, added } = modelWithDesigns(name, await loadDesignFiles(o.designFile, o.modelFile));
      const cm = compile(model, designToRun(o.design, added), o.const ?? {});
      const { report, trace, loopIndex } = play(model, cm, stepTexts, o);
      if (o.traceOut) {
        writeFileSync(o.traceOut, formatItf(encodeTrace({ steps: trace, variables: cm.layout.slotNames, ...(loopIndex !== undefined ? { loopIndex } : {}) }, cm)));
        process.stderr.write(`Trace written: ${o.traceOut}\n`);
      }
      process.stdout.write((o.json ? JSON.stringify(report) : formatPlay(report, useColor(process.stdout))) + '\n');
      process.exitCode = report.ok ? 0 : 1;
    });
}

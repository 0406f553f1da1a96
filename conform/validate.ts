// Trace validation, as TLA+ does it (Cirstea, Kuppe, Merz et al., "Validating
// traces of distributed programs against TLA+ specifications"): walk an
// observed run through the model on the transition core and check at every
// step that what the kernel showed is an outcome the model allows from the
// states it can be in. The set of states is kept, not one state, so that
// where the model may choose (which inode an access evicts, an outcome-only
// parameter) every choice the observations allow is followed. A step only the
// kernel can take, which the program asks for by hand (drop_caches), acts on
// what it can, or not at all: the kernel reclaims every unused inode it can
// and is free to keep any, so the state set after it holds every state that
// any number of such steps (on any file, none included) reach, less those the
// observations rule out (an eviction the tracepoints saw, or did not).

import type { CompiledModel } from '../checker/compile.js';
import { Successors, TransitionCore } from '../checker/core.js';
import type { Expectation, Observation, Presentation, ShownStep } from '../checker/presentation.js';
import type { Trace } from '../checker/result.js';
import type { ObservedRun, ObservedStep } from './parse.js';

export interface ObservationVerdict {
  readonly line: string;
  /** The model's value for it after the step (from the trace's own state), when the model says anything. */
  readonly expected?: string;
  readonly agrees?: boolean;
}

export interface Disagreement {
  readonly step: number;
  readonly label: string;
  /** Why no state of the model fits. */
  readonly reason: string;
  /** What the kernel showed at the step, each beside the model's prediction. */
  readonly observed: readonly ObservationVerdict[];
  /** Observations the model needs that the program did not print. */
  readonly missing: readonly string[];
}

export interface RunVerdict {
  readonly steps: number;
  /** Steps whose every observation an allowed state explained. */
  readonly agreed: number;
  readonly observations: number;
  readonly disagreement?: Disagreement;
}

const key = (o: Observation) => `${o.who} ${o.file} ${o.what}`;
export const showObservation = (o: Observation) => `${key(o)}${o.value.length ? ` ${o.value.join(' ')}` : ''}`;

/** The program statement a step is, so that model steps the program cannot tell apart are one step. */
function programOf(p: Presentation, s: ShownStep): string {
  const sc = p.c!.steps[s.action];
  if (!sc) return `unmapped ${s.action}`;
  return 'c' in sc ? sc.c(s) : `manual ${JSON.stringify(sc.manual(s))}`;
}

const isManual = (p: Presentation, action: string) => { const sc = p.c!.steps[action]; return sc !== undefined && 'manual' in sc; };

function fits(p: Presentation, obs: readonly Observation[], s: ShownStep): boolean {
  const rules = p.c!.observations!;
  for (const o of obs) if (rules.judge(o, s)?.agrees === false) return false;
  const seen = new Set(obs.map(key));
  return rules.required(s, seen).every((k) => seen.has(k));
}

/**
 * Judges one observed run of `trace` against `cm` (a design of the trace's
 * model, with the trace's constants): the first step no allowed state
 * explains is the disagreement.
 */
export function validateRun(cm: CompiledModel, presentation: Presentation, trace: Trace, run: ObservedRun): RunVerdict {
  const rules = presentation.c?.observations;
  if (!rules) throw new Error(`model ${cm.model} gives no observation rules (presentation.c.observations)`);
  const { layout } = cm;
  const core = new TransitionCore(cm, { invariants: [], actionProperties: [], goals: [] });
  const succ = new Successors(core);
  const first = layout.blank();
  layout.encode(trace.steps[0]!.state, first);
  let states: Int32Array[] = [first];
  let agreed = 0;
  let observations = 0;
  const byN = new Map<number, ObservedStep>(run.steps.map((s) => [s.n, s]));
  const n = trace.steps.length - 1;
  for (let i = 1; i <= n; i++) {
    const t = trace.steps[i]!;
    const recorded: ShownStep = { action: t.action, params: t.params as ShownStep['params'], before: trace.steps[i - 1]!.state, after: t.state };
    const seen = byN.get(i);
    const disagree = (reason: string, obs: readonly Observation[] = []): RunVerdict => ({
      steps: n, agreed, observations,
      disagreement: {
        step: i, label: t.label, reason,
        observed: obs.map((o) => verdictOf(rules.judge(o, recorded), o)),
        missing: seen ? rules.required(recorded, new Set(obs.map(key))).filter((k) => !obs.some((o) => key(o) === k)) : [],
      },
    });
    if (!seen) {
      const tail = run.other.slice(-3).join(' | ');
      return disagree(`the program did not report step ${i} (exit status ${run.rc ?? 'none: the boot ended'}${tail ? `; it printed: ${tail}` : ''})`);
    }
    observations += seen.obs.length;
    const target = programOf(presentation, recorded);
    const next = new Map<string, Int32Array>();
    for (const s of states) {
      const before = layout.decode(s);
      if (isManual(presentation, t.action)) {
        // What the program asks for by hand (drop_caches) acts on everything it can: any number
        // of the action's steps, on any file, none included (the kernel may keep every inode).
        for (const after of completed(cm, core, succ, s, presentation, t.action).flatMap((c) => closure(cm, core, succ, c, t.action))) {
          const shown: ShownStep = { action: t.action, params: t.params as ShownStep['params'], before, after: layout.decode(after) };
          if (fits(presentation, seen.obs, shown)) next.set(after.join(','), after);
        }
        continue;
      }
      core.cur.set(s);
      core.successors(succ);
      for (let q = 0; q < succ.count; q++) {
        const inst = cm.instances[succ.inst[q]!]!;
        if (inst.name !== t.action) continue;
        core.loadNext(succ.words, q * core.W);
        const shown: ShownStep = { action: inst.name, params: cm.showParams(inst) as ShownStep['params'], before, after: layout.decode(core.next) };
        if (programOf(presentation, shown) !== target || !fits(presentation, seen.obs, shown)) continue;
        next.set(core.next.join(','), core.next.slice());
      }
    }
    if (next.size === 0) {
      const bad = seen.obs.some((o) => rules.judge(o, recorded)?.agrees === false);
      const instead = bad ? [] : alternatives(cm, core, succ, states, t.params as ShownStep['params']);
      return disagree(bad ? 'an observation is not what the model allows'
        : `no state of design ${cm.design} takes this step with these observations${instead.length ? `; with these arguments the design takes: ${instead.join(' or ')}` : ''}`, seen.obs);
    }
    states = [...next.values()];
    agreed++;
  }
  if (!run.done || run.rc !== 0) {
    return { steps: n, agreed, observations, disagreement: { step: n, label: trace.steps[n]!.label, reason: `the program did not finish cleanly (exit status ${run.rc ?? 'none'})${run.other.length ? `: ${run.other.slice(-3).join(' | ')}` : ''}`, observed: [], missing: [] } };
  }
  return { steps: n, agreed, observations };
}

/**
 * The states the manual step's `completes` actions (the `sync` before drop_caches:
 * every Writeback) leave when run from `from` until none is enabled; `from` itself if it names none.
 */
function completed(cm: CompiledModel, core: TransitionCore, succ: Successors, from: Int32Array, p: Presentation, action: string): Int32Array[] {
  const names = (p.c!.steps[action] as { completes?: readonly string[] }).completes ?? [];
  if (names.length === 0) return [from];
  const enabled = (s: Int32Array) => {
    core.cur.set(s);
    core.successors(succ);
    for (let q = 0; q < succ.count; q++) if (names.includes(cm.instances[succ.inst[q]!]!.name)) return true;
    return false;
  };
  return closure(cm, core, succ, from, names).filter((s) => !enabled(s));
}

/** `from` and every state that zero or more steps of `action` (any arguments) reach from it. */
function closure(cm: CompiledModel, core: TransitionCore, succ: Successors, from: Int32Array, action: string | readonly string[]): Int32Array[] {
  const names = typeof action === 'string' ? [action] : action;
  const found = new Map<string, Int32Array>([[from.join(','), from]]);
  const todo = [from];
  while (todo.length > 0) {
    core.cur.set(todo.pop()!);
    core.successors(succ);
    for (let q = 0; q < succ.count; q++) {
      if (!names.includes(cm.instances[succ.inst[q]!]!.name)) continue;
      core.loadNext(succ.words, q * core.W);
      const k = core.next.join(',');
      if (found.has(k)) continue;
      const next = core.next.slice();
      found.set(k, next);
      todo.push(next);
    }
  }
  return [...found.values()];
}

/** The steps the design takes from `states` whose arguments are the recorded step's (e.g. the same open, refused), by label. */
function alternatives(cm: CompiledModel, core: TransitionCore, succ: Successors, states: readonly Int32Array[], params: ShownStep['params']): string[] {
  const out = new Set<string>();
  for (const s of states) {
    core.cur.set(s);
    core.successors(succ);
    for (let q = 0; q < succ.count; q++) {
      const inst = cm.instances[succ.inst[q]!]!;
      const shown = cm.showParams(inst);
      // These arguments, or some of them: an Open names the file slot it takes, the OpenRefused of the same call none.
      const sameArguments = Object.entries(params).every(([k, v]) => shown[k] === v) || Object.entries(shown).every(([k, v]) => params[k] === v);
      if (!sameArguments) continue;
      core.loadNext(succ.words, q * core.W);
      out.add(cm.label(inst, s, core.next));
    }
  }
  return [...out];
}

function verdictOf(e: Expectation | undefined, o: Observation): ObservationVerdict {
  return e ? { line: showObservation(o), expected: e.expected, agrees: e.agrees } : { line: showObservation(o) };
}

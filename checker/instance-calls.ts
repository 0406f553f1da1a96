// Calls of one action instance's guard or effect, and the loop over every
// guard, generated as JavaScript source per model. A random walk
// (simulate.ts) needs one successor per state, not all of them: it draws an
// instance, asks the core whether its guard holds (guardOf) and takes it
// (effectOf), or lists the instances whose guards hold (makeGuardLoop) and
// draws among those; a step then costs a few guards and one effect instead of
// every successor copied, run and packed (successor-loop.ts).

import type { CompiledModel } from './compile.js';

/** The runs of contiguous instances for which `same` holds between neighbours (instances of one action are contiguous). */
function runsOf(cm: CompiledModel, same: (a: CompiledModel['instances'][number], b: CompiledModel['instances'][number]) => boolean): { action: number; from: number; to: number }[] {
  const runs: { action: number; from: number; to: number }[] = [];
  cm.instances.forEach((inst, i) => {
    const last = runs[runs.length - 1];
    if (last && last.to === i && same(cm.instances[last.from]!, inst)) last.to = i + 1;
    else runs.push({ action: inst.action, from: i, to: i + 1 });
  });
  return runs;
}

/** The index of each instance's run, for a switch over runs. */
function runIndex(cm: CompiledModel, runs: readonly { from: number; to: number }[]): Int32Array {
  const run = new Int32Array(cm.instances.length);
  runs.forEach((r, k) => run.fill(k, r.from, r.to));
  return run;
}

/** Writes into `out` the instances whose guard holds on `view`, in instance order; returns how many. */
export type GuardLoop = (view: unknown, out: Int32Array) => number;

/**
 * One loop per run of instances that share an action's guard (they are
 * contiguous in cm.instances), each calling that guard at a site of its own,
 * as makeSuccessorLoop does and for the same reason: one site calling a
 * different guard on every iteration is one V8 can neither inline nor predict.
 * An action without a guard adds all its instances. Avoided actions are left out.
 */
export function makeGuardLoop(cm: CompiledModel, avoided: ReadonlySet<number>): GuardLoop {
  const ranges = runsOf(cm, (a, b) => a.action === b.action && a.guard === b.guard);
  const kept = ranges.filter((r) => !avoided.has(r.action));
  const lines: string[] = ['return function guardsHolding(v, out) {', '  let n = 0;'];
  kept.forEach((r, k) => {
    if (cm.instances[r.from]!.guard === undefined) {
      lines.push(`  for (let i = ${r.from}; i < ${r.to}; i++) out[n++] = i;`);
    } else {
      lines.push(`  for (let i = ${r.from}; i < ${r.to}; i++) if (G${k}(v, P[i])) out[n++] = i;`);
    }
  });
  lines.push('  return n;', '};');
  const names = kept.map((_, k) => `G${k}`);
  const guards = kept.map((r) => cm.instances[r.from]!.guard);
  // eslint-disable-next-line no-new-func
  const factory = new Function('P', ...names, lines.join('\n')) as (...args: unknown[]) => GuardLoop;
  return factory(cm.instances.map((i) => i.params), ...guards);
}

/** Whether instance i's guard holds on `view`. */
export type GuardOf = (view: unknown, i: number) => boolean;

/**
 * One instance's guard, by index: a switch over the runs of instances that
 * share a guard, each case a call site of its own (a table of functions
 * called at one site would be the megamorphic call this avoids).
 */
export function makeGuardOf(cm: CompiledModel): GuardOf {
  const ranges = runsOf(cm, (a, b) => a.guard === b.guard);
  const run = runIndex(cm, ranges);
  const lines: string[] = ['return function guardOf(v, i) {', '  switch (R[i]) {'];
  ranges.forEach((r, k) => {
    lines.push(cm.instances[r.from]!.guard === undefined ? `    case ${k}: return true;` : `    case ${k}: return G${k}(v, P[i]);`);
  });
  lines.push('  }', '  return false;', '};');
  const names = ranges.map((_, k) => `G${k}`);
  const guards = ranges.map((r) => cm.instances[r.from]!.guard);
  // eslint-disable-next-line no-new-func
  const factory = new Function('R', 'P', ...names, lines.join('\n')) as (...args: unknown[]) => GuardOf;
  return factory(run, cm.instances.map((i) => i.params), ...guards);
}

/** Runs instance i's effect on `view`; false when the effect refuses the step. */
export type EffectOf = (view: unknown, i: number) => boolean;

/** One instance's effect, by index, dispatched as guardOf is. */
export function makeEffectOf(cm: CompiledModel): EffectOf {
  const ranges = runsOf(cm, (a, b) => a.effect === b.effect);
  const run = runIndex(cm, ranges);
  const lines: string[] = ['return function effectOf(v, i) {', '  switch (R[i]) {'];
  ranges.forEach((_, k) => lines.push(`    case ${k}: return E${k}(v, P[i]) !== false;`));
  lines.push('  }', '  return false;', '};');
  const names = ranges.map((_, k) => `E${k}`);
  const effects = ranges.map((r) => cm.instances[r.from]!.effect);
  // eslint-disable-next-line no-new-func
  const factory = new Function('R', 'P', ...names, lines.join('\n')) as (...args: unknown[]) => EffectOf;
  return factory(run, cm.instances.map((i) => i.params), ...effects);
}

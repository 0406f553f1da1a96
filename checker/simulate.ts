// Random simulation for configurations too large to exhaust: walks drawn
// from a seeded random stream (random.ts), each from an initial state chosen
// uniformly among all of them, each step uniform among the successors the
// transition core can take (core.ts), checking the safety properties and
// deadlock along each walk, stopping a walk at a state outside the
// constraint; on a failure the walk is shrunk to a short one before it is
// reported. A simulation never proves a property; it only finds violations,
// and says which goals and actions its walks reached.
//
// A step does not build the state's successor list: the core says which
// guards hold, one of those is drawn, and only its effect runs (drawn again
// among the rest when the effect refuses), so the draw is uniform over the
// successors and a step costs the guards and one effect.

import type { ActionInstance, CompiledModel } from './compile.js';
import { TransitionCore } from './core.js';
import { RandomStream } from './random.js';
import type { Trace } from './result.js';
import { selectProperties } from './select.js';
import { replayInstances } from './trace.js';

export interface SimulationOptions {
  readonly runs?: number;
  readonly maxDepth?: number;
  readonly seed?: number;
  /** Overrides the model's own deadlock setting. */
  readonly checkDeadlock?: boolean;
  /** Only these properties (by name) are checked; goals named by them are kept. */
  readonly properties?: readonly string[];
}

export interface SimulationResult {
  readonly runs: number;
  readonly seed: number;
  readonly maxDepth: number;
  readonly seconds: number;
  /** Steps taken over all walks. */
  readonly steps: number;
  /** The first property a (shrunk) walk broke, with that walk as its trace; 'Deadlock' for a state with no enabled action. */
  readonly violation?: { readonly property: string; readonly trace: Trace };
  /** Per goal: in how many walks it was reached. */
  readonly goals: readonly { readonly name: string; readonly walks: number }[];
  /** Per action: how many steps of all walks took it. */
  readonly coverage: readonly { readonly action: string; readonly taken: number }[];
}

export function simulate(cm: CompiledModel, opts: SimulationOptions = {}): SimulationResult {
  const started = performance.now();
  const runs = opts.runs ?? 1000;
  const maxDepth = opts.maxDepth ?? 100;
  const seed = opts.seed ?? Date.now() % 2 ** 31;
  const checkDeadlock = opts.checkDeadlock ?? cm.checkDeadlock;
  const selected = selectProperties(cm, opts.properties);
  const core = new TransitionCore(cm, selected);
  const inits = cm.inits.filter((init) => core.initial(init));
  if (inits.length === 0) throw new Error(`model ${cm.model}: no initial state (every Init instance refused)`);
  const taken = new Float64Array(cm.actionNames.length);
  const goalWalks = new Float64Array(selected.goals.length);
  const goalSeen = new Uint8Array(selected.goals.length);
  const candidates = new Int32Array(Math.max(1, cm.instances.length));
  // The walk's steps; grown when a walk outruns it (a --depth in the millions allocates only what walks reach).
  let path = new Int32Array(Math.min(maxDepth, 1 << 12));
  const random = new RandomStream(seed);
  const apFailed: number[] = [];
  const checksSteps = selected.actionProperties.length > 0;
  let steps = 0;

  /** The first invariant failing on `next` (goals reached are noted), or undefined. */
  const brokenInvariant = (): string | undefined => {
    core.checkNext();
    for (let h = 0; h < core.goalHitCount; h++) {
      const k = core.goalHits[h]!;
      if (!goalSeen[k]) { goalSeen[k] = 1; goalWalks[k]++; }
    }
    return core.invHitCount > 0 ? selected.invariants[core.invHits[0]!]!.name : undefined;
  };

  /**
   * Takes a step drawn uniformly among the successors of `cur` into `next`
   * and returns its instance, or -1 when there is none. First by rejection:
   * an instance drawn uniformly among all of them is kept if its guard holds
   * and its effect does not refuse, so the one kept is uniform among the
   * successors, and when many are enabled it costs a few guards. After
   * `tries` misses every guard is evaluated and the draw is among those that
   * hold (again, one whose effect refuses is dropped and another drawn).
   */
  const instances = cm.instances.length;
  const tries = instances < 8 ? 0 : 16;
  const drawStep = (): number => {
    for (let t = 0; t < tries; t++) {
      const c = random.below(instances);
      if (core.guardHolds(c) && core.takeGuarded(c)) return c;
    }
    let n = core.guardsHolding(candidates);
    while (n > 0) {
      const q = random.below(n);
      const c = candidates[q]!;
      if (core.takeGuarded(c)) return c;
      candidates[q] = candidates[--n]!;
    }
    return -1;
  };

  /**
   * One walk of up to maxDepth steps into `path`; returns its length and what
   * it broke. It stops at the first broken property, a deadlock or a state
   * outside the constraint.
   */
  let walkLength = 0;
  const walk = (init: ActionInstance): string | undefined => {
    core.initial(init);
    goalSeen.fill(0);
    walkLength = 0;
    let failed = brokenInvariant();
    while (failed === undefined && walkLength < maxDepth) {
      core.cur.set(core.next);
      if (!core.inConstraint()) break;
      const i = drawStep();
      if (i < 0) {
        if (checkDeadlock && !core.anyEnabled()) failed = 'Deadlock';
        break;
      }
      if (walkLength === path.length) { const longer = new Int32Array(Math.min(maxDepth, path.length * 2)); longer.set(path); path = longer; }
      path[walkLength++] = i;
      steps++;
      taken[cm.instances[i]!.action]++;
      failed = checksSteps && core.failingActionProperties(i, apFailed) > 0 ? selected.actionProperties[apFailed[0]!]!.name : brokenInvariant();
    }
    return failed;
  };

  /** Runs a fixed path; returns the prefix up to the first failure of `property`, or undefined. */
  const failsBy = (init: number, steps: readonly number[], property: string): number[] | undefined => {
    if (!core.initial(cm.inits[init]!)) return undefined;
    const inv = selected.invariants.findIndex((p) => p.name === property);
    const act = selected.actionProperties.findIndex((p) => p.name === property);
    const invFails = () => inv >= 0 && !selected.invariants[inv]!.def.holds(core.nextView);
    if (invFails()) return [];
    for (let k = 0; k < steps.length; k++) {
      core.cur.set(core.next);
      if (core.step(cm.instances[steps[k]!]!) !== undefined) return undefined;
      if (act >= 0 && !selected.actionProperties[act]!.def.holds(core.curView, cm.instances[steps[k]!]!.step, core.nextView)) return steps.slice(0, k + 1);
      if (invFails()) return steps.slice(0, k + 1);
    }
    if (property === 'Deadlock') {
      core.cur.set(core.next);
      if (core.inConstraint() && !core.anyEnabled()) return [...steps];
    }
    return undefined;
  };

  /**
   * Shrinks a failing walk, keeping it failing: drops runs of steps, then single steps, then
   * pairs of steps (a mapping made and undone), then puts an instance of
   * smaller index in a step's place (p1 for p4: the same failure with fewer
   * actors, after which more steps drop), until none of these applies. Every
   * change makes the walk shorter or its sum of instance indices smaller, so
   * this ends.
   */
  const minimise = (init: number, steps: number[], property: string): number[] => {
    let best = steps;
    const tryPath = (candidate: number[]): boolean => {
      const shorter = failsBy(init, candidate, property);
      if (shorter) best = shorter;
      return shorter !== undefined;
    };
    // Long walks first lose whole runs of steps (halves, quarters, ...), so the passes below start short.
    const dropRuns = (): boolean => {
      let dropped = false;
      for (let size = best.length >> 1; size >= 2; size >>= 1) {
        for (let at = best.length - size; at >= 0; at -= size) {
          if (at + size <= best.length && tryPath([...best.slice(0, at), ...best.slice(at + size)])) dropped = true;
        }
      }
      return dropped;
    };
    const dropOne = (): boolean => {
      let dropped = false;
      for (let i = best.length - 1; i >= 0; i--) {
        if (i < best.length && tryPath([...best.slice(0, i), ...best.slice(i + 1)])) dropped = true;
      }
      return dropped;
    };
    const dropTwo = (): boolean => {
      for (let i = 0; i < best.length; i++) {
        for (let j = i + 1; j < best.length; j++) {
          if (tryPath([...best.slice(0, i), ...best.slice(i + 1, j), ...best.slice(j + 1)])) return true;
        }
      }
      return false;
    };
    const replaceOne = (): boolean => {
      for (let k = 0; k < best.length; k++) {
        for (let j = 0; j < best[k]!; j++) {
          if (tryPath([...best.slice(0, k), j, ...best.slice(k + 1)])) return true;
        }
      }
      return false;
    };
    dropRuns();
    while (dropOne() || dropTwo() || replaceOne());
    return best;
  };

  let walks = 0;
  let violation: SimulationResult['violation'];
  while (walks < runs) {
    const init = inits[random.below(inits.length)]!;
    walks++;
    const failed = walk(init);
    if (failed === undefined) continue;
    const at = cm.inits.indexOf(init);
    const shrunk = minimise(at, Array.from(path.subarray(0, walkLength)), failed);
    const trace = replayInstances(cm, init, shrunk.map((i) => cm.instances[i]!));
    const isAction = selected.actionProperties.some((p) => p.name === failed);
    violation = { property: failed, trace: { steps: trace, variables: cm.layout.slotNames, ...(isAction ? { violatingStep: trace.length - 1 } : {}) } };
    break;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    runs: walks, seed, maxDepth, seconds, steps,
    goals: selected.goals.map((g, k) => ({ name: g.name, walks: goalWalks[k]! })),
    coverage: cm.actionNames.map((action, a) => ({ action, taken: taken[a]! })),
    ...(violation ? { violation } : {}),
  };
}

// Explicit-state search: breadth-first (shortest counterexamples) or
// depth-first, over the action instances of a compiled model.
//
// The hot loop works on two Int32Array vectors (current, successor) with a
// view over each, so evaluating a guard, applying an effect, checking the
// domain, fingerprinting and storing a successor allocate nothing.

import type { ActionInstance, CompiledModel } from './compile.js';
import { describeDomain } from './domain.js';
import { SchemaViolation, StoreFullError, UsageError } from './errors.js';
import { FP, fingerprint, collisionProbability } from './fingerprint.js';
import { StateQueue } from './queue.js';
import { makePacker } from './packer.js';
import { FingerprintStore, NO_PARENT } from './store.js';
import type { ActionCoverage, CheckResult, Finding, Progress, PropertyResult } from './result.js';
import { reconstruct } from './trace.js';
import { checkParallel } from './parallel/coordinator.js';
import type { ModelSource } from './parallel/protocol.js';

export interface SearchOptions {
  readonly strategy?: 'bfs' | 'dfs';
  /** States at this depth are not expanded (the initial states are depth 0). */
  readonly maxDepth?: number;
  readonly maxSeconds?: number;
  /** Memory the fingerprint store may take, in bytes. */
  readonly maxStoreBytes?: number;
  /** Keep going after a violation, to report every violated property. */
  readonly continueAfterViolation?: boolean;
  /** Overrides the model's own deadlock setting. */
  readonly checkDeadlock?: boolean;
  /** Only these properties (by name) are checked; goals named by them are kept. */
  readonly properties?: readonly string[];
  readonly progressEverySeconds?: number;
  readonly onProgress?: (p: Progress) => void;
  /**
   * Breadth-first search on this many worker threads (checker/parallel/);
   * 1 (the default) is the sequential engine below. Depth-first search is
   * always sequential.
   */
  readonly workers?: number;
  /** Where parallel workers load the model from; default the registry (spec/index.ts) by the model's name. */
  readonly modelSource?: ModelSource;
}

export const DEFAULT_STORE_BYTES = 8 * 2 ** 30;

export function check(cm: CompiledModel, opts: SearchOptions = {}): CheckResult {
  if ((opts.workers ?? 1) > 1 && opts.strategy !== 'dfs') return checkParallel(cm, opts);
  const started = performance.now();
  const { layout } = cm;
  const dfs = opts.strategy === 'dfs';
  const maxDepth = opts.maxDepth ?? Infinity;
  const deadline = opts.maxSeconds !== undefined ? started + opts.maxSeconds * 1000 : Infinity;
  const checkDeadlock = opts.checkDeadlock ?? cm.checkDeadlock;
  const continueAll = opts.continueAfterViolation ?? false;
  const progressMs = (opts.progressEverySeconds ?? 5) * 1000;

  const selected = selectProperties(cm, opts.properties);
  const invariants = selected.invariants;
  const actionProps = selected.actionProperties;
  const goals = selected.goals;

  const store = new FingerprintStore(opts.maxStoreBytes ?? DEFAULT_STORE_BYTES);
  const packer = makePacker(layout);
  const W = packer.words;
  const queue = new StateQueue(W);
  const packed = new Uint32Array(W);
  const curPacked = new Uint32Array(W);
  const cur = layout.blank();
  const next = layout.blank();
  const curView = layout.view(cur);
  const nextView = layout.view(next);

  const instances = cm.instances;
  const nInst = instances.length;
  const guards = instances.map((i) => i.guard);
  const effects = instances.map((i) => i.effect);
  const params = instances.map((i) => i.params);
  const actionOf = Int32Array.from(instances.map((i) => i.action));
  const generatedBy = new Float64Array(nInst);
  const distinctBy = new Float64Array(nInst);
  const nActions = cm.actionNames.length;
  const enabledStates = new Float64Array(nActions);
  const lastEnabledIn = new Float64Array(nActions).fill(-1);

  // Per property: the id of the state where it first failed (and, for an
  // action property, the instance taken from it); -1 while it holds.
  const invFailedAt = new Int32Array(invariants.length).fill(-1);
  const apFailedAt = new Int32Array(actionProps.length).fill(-1);
  const apFailedBy = new Int32Array(actionProps.length).fill(-1);
  const goalAt = new Int32Array(goals.length).fill(-1);
  let goalsLeft = goals.length;
  let invLeft = invariants.length;
  let apLeft = actionProps.length;
  let deadlockAt = -1;
  let stop = false;

  let generated = 0;
  let expanded = 0;
  let maxSeenDepth = 0;
  let cutByDepth = false;
  let cutByConstraint = false;
  let incompleteReason: string | undefined;
  let lastProgress = started;
  let peakRss = process.memoryUsage().rss;

  const violated = () => { if (!continueAll) stop = true; };

  /** Invariants and goals on a newly stored state (view over `buf`). */
  const checkState = (view: unknown, id: number): void => {
    if (invLeft > 0) {
      for (let k = 0; k < invariants.length; k++) {
        if (invFailedAt[k] === -1 && !invariants[k]!.def.holds(view as never)) {
          invFailedAt[k] = id; invLeft--; violated();
        }
      }
    }
    if (goalsLeft > 0) {
      for (let k = 0; k < goals.length; k++) {
        if (goalAt[k] === -1 && goals[k]!.def.reached(view as never)) { goalAt[k] = id; goalsLeft--; }
      }
    }
  };

  /** Packs the successor into `packed`; an out-of-domain slot is a model bug, named precisely. */
  const packOrThrow = (buf: Int32Array, inst: number | ActionInstance): void => {
    const bad = packer.pack(buf, packed, 0);
    if (bad >= 0) {
      const label = cm.label(typeof inst === 'number' ? instances[inst]! : inst);
      throw new SchemaViolation(label, layout.slotNames[bad]!, buf[bad]!, describeDomain(layout.slotDomains[bad]!));
    }
  };

  try {
    // ---- initial states ------------------------------------------------
    cm.inits.forEach((init, k) => {
      next.set(layout.lo);
      if (init.effect(nextView, init.params) === false) return;
      packOrThrow(next, init);
      generated++;
      fingerprint(packed, 0, W);
      const id = store.add(FP[0]!, FP[1]!, NO_PARENT, k, 0);
      if (id < 0) return;
      checkState(nextView, id);
      queue.push(id, packed, 0);
    });
    if (store.size === 0) throw new Error(`model ${cm.model}: no initial state (every Init instance refused)`);

    // ---- exploration ---------------------------------------------------
    while (queue.length > 0 && !stop) {
      const id = dfs ? queue.pop(curPacked) : queue.shift(curPacked);
      packer.unpack(curPacked, 0, cur);
      const depth = store.depth(id);
      if (depth > maxSeenDepth) maxSeenDepth = depth;

      if ((++expanded & 0x3fff) === 0) {
        const now = performance.now();
        if (now >= deadline) {
          incompleteReason = `time limit of ${opts.maxSeconds} s reached`;
          queue.push(id, curPacked, 0);
          break;
        }
        if (now - lastProgress >= progressMs) {
          lastProgress = now;
          const rss = process.memoryUsage().rss;
          if (rss > peakRss) peakRss = rss;
          opts.onProgress?.({
            seconds: (now - started) / 1000, distinctStates: store.size, statesGenerated: generated,
            queue: queue.length, depth: maxSeenDepth, rssBytes: rss,
          });
        }
      }

      if (cm.constraint && !cm.constraint(curView)) { cutByConstraint = true; continue; }
      const atBound = depth >= maxDepth;

      let anyEnabled = false;
      for (let i = 0; i < nInst; i++) {
        const g = guards[i];
        if (g !== undefined && !g(curView, params[i])) continue;
        next.set(cur);
        if (effects[i]!(nextView, params[i]) === false) continue;
        anyEnabled = true;
        if (atBound) { cutByDepth = true; break; }
        generated++;
        generatedBy[i]++;
        const a = actionOf[i]!;
        if (lastEnabledIn[a] !== id) { lastEnabledIn[a] = id; enabledStates[a]++; }
        packOrThrow(next, i);

        if (apLeft > 0) {
          const step = instances[i]!.step;
          for (let k = 0; k < actionProps.length; k++) {
            if (apFailedAt[k] === -1 && !actionProps[k]!.def.holds(curView as never, step, nextView as never)) {
              apFailedAt[k] = id; apFailedBy[k] = i; apLeft--; violated();
            }
          }
        }

        fingerprint(packed, 0, W);
        const nid = store.add(FP[0]!, FP[1]!, id, i, depth + 1);
        if (nid < 0) continue;
        distinctBy[i]++;
        checkState(nextView, nid);
        queue.push(nid, packed, 0);
        if (stop) break;
      }
      if (!anyEnabled && checkDeadlock && deadlockAt === -1) { deadlockAt = id; violated(); }
    }
  } catch (e) {
    if (!(e instanceof StoreFullError)) throw e;
    incompleteReason = e.message;
  }

  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (!incompleteReason && !stop) {
    if (cutByDepth) incompleteReason = `depth bound ${maxDepth} cut the search`;
    else if (cutByConstraint) incompleteReason = 'the state constraint cut the search';
  }
  const stoppedEarly = stop && queue.length > 0;
  const complete = !incompleteReason && !stoppedEarly;

  return assembleResult(cm, selected, {
    strategy: dfs ? 'dfs' : 'bfs', complete, incompleteReason: incompleteReason ?? (stoppedEarly ? 'stopped at the first violation' : undefined),
    links: store, invFailedAt, apFailedAt, apFailedBy, goalAt, deadlockAt,
    distinct: store.size, generated, queueLeft: queue.length, depth: maxSeenDepth, seconds, storeBytes: store.bytes, peakRss,
    actionOf, generatedBy, distinctBy, enabledStates,
  });
}

/** What an engine found, by state id, for assembleResult. */
export interface RawOutcome {
  readonly strategy: 'bfs' | 'dfs';
  readonly complete: boolean;
  readonly incompleteReason: string | undefined;
  /** Parent links and actions by state id, to rebuild traces from. */
  readonly links: Pick<FingerprintStore, 'parent' | 'action'>;
  readonly invFailedAt: ArrayLike<number>;
  readonly apFailedAt: ArrayLike<number>;
  readonly apFailedBy: ArrayLike<number>;
  readonly goalAt: ArrayLike<number>;
  readonly deadlockAt: number;
  readonly distinct: number;
  readonly generated: number;
  readonly queueLeft: number;
  readonly depth: number;
  readonly seconds: number;
  readonly storeBytes: number;
  readonly peakRss: number;
  readonly actionOf: ArrayLike<number>;
  readonly generatedBy: ArrayLike<number>;
  readonly distinctBy: ArrayLike<number>;
  readonly enabledStates: ArrayLike<number>;
}

/** The CheckResult of a run, shared by the sequential and the parallel engine. */
export function assembleResult(cm: CompiledModel, selected: ReturnType<typeof selectProperties>, o: RawOutcome): CheckResult {
  const { invariants, actionProperties: actionProps, goals } = selected;
  const { complete, invFailedAt, apFailedAt, apFailedBy, goalAt, deadlockAt, actionOf, generatedBy, distinctBy, enabledStates } = o;
  const nInst = cm.instances.length;
  const traceTo = (id: number, extra?: number) => reconstruct(cm, o.links as FingerprintStore, id, extra);
  const results: PropertyResult[] = [];
  const goalReached = new Map(goals.map((g, k) => [g.name, goalAt[k]! >= 0]));
  const unreachedGoals = (names: readonly string[] | undefined) => (names ?? []).filter((g) => goalReached.get(g) === false);
  const safety = (name: string, kind: 'invariant' | 'action', doc: string | undefined, nonVac: readonly string[] | undefined, failedAt: number, by?: number): PropertyResult => {
    if (failedAt >= 0) return { name, kind, status: 'violated', holds: false, doc, trace: traceTo(failedAt, by) };
    if (!complete) return { name, kind, status: 'bounded', holds: null, doc };
    const missing = unreachedGoals(nonVac);
    if (missing.length) return { name, kind, status: 'vacuous', holds: true, doc, vacuousBecause: missing };
    return { name, kind, status: 'holds', holds: true, doc };
  };
  invariants.forEach((p, k) => results.push(safety(p.name, 'invariant', p.def.doc, p.def.nonVacuousIf, invFailedAt[k]!)));
  actionProps.forEach((p, k) => results.push(safety(p.name, 'action', p.def.doc, p.def.nonVacuousIf, apFailedAt[k]!, apFailedBy[k]!)));
  goals.forEach((p, k) => {
    const at = goalAt[k]!;
    if (at >= 0) results.push({ name: p.name, kind: 'reachable', status: 'reached', holds: true, doc: p.def.doc, trace: traceTo(at) });
    else results.push({ name: p.name, kind: 'reachable', status: complete ? 'vacuous' : 'bounded', holds: complete ? false : null, doc: p.def.doc });
  });

  const coverage: ActionCoverage[] = cm.actionNames.map((name, a) => {
    let gen = 0, dist = 0;
    for (let i = 0; i < nInst; i++) if (actionOf[i] === a) { gen += generatedBy[i]!; dist += distinctBy[i]!; }
    return { action: name, enabledInStates: enabledStates[a]!, generated: gen, distinct: dist };
  });

  const deadlock: Finding | undefined = deadlockAt >= 0 ? { trace: traceTo(deadlockAt) } : undefined;
  const { distinct, generated, seconds } = o;
  return {
    model: cm.model,
    design: cm.design,
    constants: cm.constants,
    strategy: o.strategy,
    complete,
    incompleteReason: o.incompleteReason,
    distinctStates: distinct,
    statesGenerated: generated,
    queueLeft: o.queueLeft,
    depth: o.depth,
    seconds,
    statesPerSecond: seconds > 0 ? distinct / seconds : distinct,
    collisionProbability: collisionProbability(distinct, generated),
    storeBytes: o.storeBytes,
    peakRssBytes: o.peakRss,
    properties: results,
    deadlock,
    coverage,
  };
}

/** The properties a run checks: all, or those named and the goals they name. */
export function selectProperties(cm: CompiledModel, names: readonly string[] | undefined) {
  if (!names) return { invariants: cm.invariants, actionProperties: cm.actionProperties, goals: cm.goals };
  const all = [...cm.invariants, ...cm.actionProperties, ...cm.goals].map((p) => p.name);
  for (const n of names) {
    if (!all.includes(n)) throw new UsageError(`model ${cm.model} has no property '${n}'; its properties are: ${all.join(', ')}`);
  }
  const wanted = new Set(names);
  for (const p of [...cm.invariants, ...cm.actionProperties]) {
    if (wanted.has(p.name)) for (const g of p.def.nonVacuousIf ?? []) wanted.add(g);
  }
  return {
    invariants: cm.invariants.filter((p) => wanted.has(p.name)),
    actionProperties: cm.actionProperties.filter((p) => wanted.has(p.name)),
    goals: cm.goals.filter((p) => wanted.has(p.name)),
  };
}

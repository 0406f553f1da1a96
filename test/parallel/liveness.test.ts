// Liveness with --workers N (and --dfs): the workers log each expanded state's edges,
// the coordinator builds the state graph from them once a level is numbered,
// and the components are decided in the coordinator as on one thread
// (checker/parallel/level-edges.ts). Verdicts and lassos must be the
// sequential engine's exactly, for every liveness property of the built-in
// models and on random systems; a run cut short never says one holds.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, type CompiledModel } from '../../checker/compile.js';
import type { CheckResult } from '../../checker/result.js';
import { check, type ModelSource, type SearchOptions } from '../../checker/search.js';
import { benchWithLeadsTo, benchWithLeadsToSource, LEADS_TO } from '../../bench/leads-to.js';
import { daxModel } from '../../spec/dax/index.js';
import { passthroughModel } from '../../spec/passthrough/index.js';
// @ts-expect-error plain JavaScript fixture, without type declarations
import { randomModel } from './fixtures/models.mjs';
import { builtInSource, comparable, comparableAtStop, replay } from '../../testkit/parallel.js';

const fixture = new URL('./fixtures/models.mjs', import.meta.url).href;

/** The run on one thread and on `workers` threads, with every level on the workers. */
function both(cm: CompiledModel, opts: SearchOptions, source: ModelSource, workers = 2): { seq: CheckResult; par: CheckResult } {
  return { seq: check(cm, opts), par: check(cm, { ...opts, workers, modelSource: source }) };
}

function expectSame(cm: CompiledModel, seq: CheckResult, par: CheckResult, what: string): void {
  if (seq.incompleteReason === 'stopped at the first violation') expect(comparableAtStop(par), what).toEqual(comparableAtStop(seq));
  else expect(comparable(par), what).toEqual(comparable(seq));
  for (const p of par.properties) {
    if (p.kind !== 'liveness' || !p.trace) continue;
    // A lasso: its states replay, and its last state is the one the loop starts at.
    const states = replay(cm, p.trace);
    expect(states, `${what} ${p.name}`).toEqual(p.trace.steps.map((s) => s.state));
    expect(states[states.length - 1], `${what} ${p.name} loop`).toEqual(states[p.trace.loopIndex!]);
  }
}

// Every level on the workers, claimed a few states at a time, so that workers interleave even on small models.
beforeAll(() => { process.env.DAXCHECK_PARALLEL_CHUNK = '4'; process.env.DAXCHECK_PARALLEL_LOCAL_STATES = '0'; });
afterAll(() => { delete process.env.DAXCHECK_PARALLEL_CHUNK; delete process.env.DAXCHECK_PARALLEL_LOCAL_STATES; });

describe('liveness on worker threads: the sequential verdicts and lassos, exactly', () => {
  const dax = builtInSource('dax');
  const designs = daxModel.designs ? Object.keys(daxModel.designs) : [];

  it('dax ModeConverges: every design under cache=always, auto and none (files=1, procs=1, versions=1); --dfs agrees', () => {
    expect(designs.length).toBeGreaterThan(10);
    const seen = new Set<string>();
    for (const design of designs) {
      const atAlways = new Map<string, unknown>();
      for (const cache of ['always', 'auto', 'none']) {
        const cm = compile(daxModel, design, { procs: 1, versions: 1, cache });
        const seq = check(cm, { properties: ['ModeConverges'] });
        if (!design.startsWith('virtiofs') && cache !== 'always') {
          // cache= is a virtiofs constant: an ext4/xfs design's run is the same under each value, so the
          // comparison with the workers made under cache=always stands for it (a thread start saved per cell).
          const { constants, ...rest } = comparable(seq);
          void constants;
          expect(rest, `${design} cache=${cache}`).toEqual(atAlways.get(design));
        } else {
          const par = check(cm, { properties: ['ModeConverges'], workers: 2, modelSource: dax });
          expectSame(cm, seq, par, `${design} cache=${cache}`);
          const { constants, ...rest } = comparable(seq);
          void constants;
          atAlways.set(design, rest);
        }
        seen.add(seq.properties[0]!.status);
        // Depth-first records the same graph in another order: the same verdict, and a lasso that replays.
        const dfs = check(cm, { properties: ['ModeConverges'], strategy: 'dfs' });
        expect(dfs.properties[0]!.status, `${design} cache=${cache} --dfs`).toBe(seq.properties[0]!.status);
        const t = dfs.properties[0]!.trace;
        if (t) expect(replay(cm, t)[t.steps.length - 1]).toEqual(t.steps[t.loopIndex!]!.state);
      }
    }
    // The cells are not all alike: a lasso, a pass and a vacuous pass all occur.
    expect([...seen].sort()).toEqual(['holds', 'vacuous', 'violated']);
  }, 120_000);

  it('dax ModeConverges at the default constants: the matrix\'s virtiofs-v6 lassos (cache=always: 3 steps, auto: 4)', () => {
    for (const [cache, steps] of [['always', 3], ['auto', 4]] as const) {
      const cm = compile(daxModel, 'virtiofs-v6', { cache });
      const { seq, par } = both(cm, { properties: ['ModeConverges'] }, dax);
      expectSame(cm, seq, par, `cache=${cache}`);
      expect(par.properties[0]!.trace!.steps.length - 1).toBe(steps);
    }
  }, 120_000);

  it('passthrough PassthroughAfterRelease: every design, procs=1 (the constraint-cut one stays bounded)', () => {
    const src = builtInSource('passthrough');
    const status: Record<string, string> = {};
    for (const design of Object.keys(passthroughModel.designs!)) {
      const cm = compile(passthroughModel, design, { procs: 1 });
      const { seq, par } = both(cm, { properties: ['PassthroughAfterRelease'] }, src);
      expectSame(cm, seq, par, design);
      status[design] = par.properties[0]!.status;
    }
    expect(status).toEqual({ landed: 'holds', 'cache-mmap-taint': 'holds', 'vma-close-refcount': 'bounded', 'dio-shared-under-cache-bit': 'holds', 'dio-file-iomode': 'holds' });
  }, 120_000);

  it('bench: the leads-to of the liveness row, with 2 and 3 workers', () => {
    for (const design of ['instantiate-only', 'flip-on-ioctl']) {
      const cm = compile(benchWithLeadsTo, design, { files: 2, procs: 2 });
      const opts = { properties: ['NoMixedMappings', LEADS_TO], continueAfterViolation: true };
      const seq = check(cm, opts);
      for (const workers of [2, 3]) {
        expectSame(cm, seq, check(cm, { ...opts, workers, modelSource: benchWithLeadsToSource }), `${design} ${workers} workers`);
      }
      expect(seq.properties.find((p) => p.name === LEADS_TO)!.status).toBe('holds');
    }
    // Without --continue the run stops at the invariant's violation; the graph is cut back to where the sequential one stops.
    const cm = compile(benchWithLeadsTo, 'flip-on-ioctl', { files: 2, procs: 2 });
    const { seq, par } = both(cm, { properties: ['NoMixedMappings', LEADS_TO] }, benchWithLeadsToSource);
    expect(seq.incompleteReason).toBe('stopped at the first violation');
    expectSame(cm, seq, par, 'flip-on-ioctl at the stop');
    expect(par.properties.find((p) => p.name === LEADS_TO)!.status).toBe('bounded');
  }, 120_000);
});

describe('a run on workers cut short never says a liveness property holds', () => {
  // passthrough landed: PassthroughAfterRelease holds over the whole graph (60,230 states).
  const cm = compile(passthroughModel, 'landed', {});
  const src = builtInSource('passthrough');
  const run = (opts: SearchOptions) => check(cm, { properties: ['PassthroughAfterRelease'], workers: 2, modelSource: src, ...opts });

  it('holds when complete', () => {
    const r = run({});
    expect(r.complete).toBe(true);
    expect(r.properties[0]!.status).toBe('holds');
  });

  it('depth bound, time limit, memory budget, an interruption: bounded', () => {
    const interrupt = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(interrupt, 0, 2); // SIGINT's number, as the CLI's handler stores it
    const cuts: [SearchOptions, string][] = [
      [{ maxDepth: 4 }, 'depth'],
      [{ maxSeconds: 0 }, 'time'],
      [{ maxStoreBytes: 64 * 1024 }, 'memory'],
      [{ interrupt }, 'interrupted'],
    ];
    for (const [opts, by] of cuts) {
      const r = run(opts);
      expect(r.complete, by).toBe(false);
      expect(r.cutShortBy, by).toBe(by);
      expect(r.properties[0]!.status, by).toBe('bounded');
      expect(r.properties[0]!.holds, by).toBeNull();
    }
  });
});

// ---- random systems ------------------------------------------------------------------

const specArb = fc.record({ vars: fc.integer({ min: 1, max: 3 }), range: fc.integer({ min: 1, max: 3 }) }).chain(({ vars, range }) => {
  const varVal = fc.record({ var: fc.integer({ min: 0, max: vars - 1 }), val: fc.integer({ min: 0, max: range }) });
  const fairness = fc.array(fc.record({ action: fc.integer({ min: 0, max: 4 }), strong: fc.boolean(), perInstance: fc.boolean() }), { maxLength: 3 });
  return fc.record({
    vars: fc.constant(vars),
    range: fc.constant(range),
    inits: fc.integer({ min: 1, max: 2 }),
    actions: fc.array(fc.record({
      guardVar: fc.integer({ min: 0, max: vars - 1 }), guardVal: fc.integer({ min: 0, max: range }), guardEq: fc.boolean(),
      effVar: fc.integer({ min: 0, max: vars - 1 }), delta: fc.integer({ min: 1, max: range }),
      setTo: fc.option(fc.integer({ min: 0, max: range }), { nil: null }), width: fc.integer({ min: 1, max: 2 }),
    }), { minLength: 1, maxLength: 5 }),
    invariants: fc.array(varVal, { minLength: 1, maxLength: 1 }),
    liveness: fc.array(fc.record({
      op: fc.constantFrom('eventually', 'leadsTo', 'alwaysEventually', 'eventuallyAlways'), p: varVal, q: varVal, fairness,
    }), { minLength: 1, maxLength: 2 }),
    constraint: fc.option(varVal, { nil: undefined }),
    checkDeadlock: fc.boolean(),
  });
});

describe('liveness on worker threads, random systems', () => {
  it('a stop at a violation: the graph ends where the sequential search stops', () => {
    // v starts at 0 or 1; A0 counts up from a nonzero v. State 0 deadlocks and the search stops there; the
    // workers have also expanded state 1, where stuttering (no fairness) would violate v=1 ~> v=0. The sequential
    // search never expanded state 1: the property is bounded in both.
    const spec = {
      vars: 1, range: 3, inits: 2, actions: [{ guardVar: 0, guardVal: 0, guardEq: false, effVar: 0, delta: 1, setTo: null, width: 1 }],
      invariants: [], liveness: [{ op: 'leadsTo', p: { var: 0, val: 1 }, q: { var: 0, val: 0 }, fairness: [] }], checkDeadlock: true,
    };
    const cm = compile(randomModel(spec), undefined);
    const { seq, par } = both(cm, {}, { kind: 'module', module: fixture, export: 'randomModel', args: [spec] });
    expect(seq.deadlock).toBeDefined();
    expect(seq.properties.find((p) => p.name === 'Live0')!.status).toBe('bounded');
    expectSame(cm, seq, par, 'stop at the deadlock');
    // With --continue the whole graph is there, and the stuttering at 1 is the lasso.
    const all = both(cm, { continueAfterViolation: true }, { kind: 'module', module: fixture, export: 'randomModel', args: [spec] });
    expectSame(cm, all.seq, all.par, 'with --continue');
    expect(all.par.properties.find((p) => p.name === 'Live0')!.status).toBe('violated');
  });

  it('the sequential verdicts and lassos, with stops, bounds and the constraint', () => {
    fc.assert(fc.property(specArb, fc.boolean(), fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }), fc.integer({ min: 2, max: 3 }), (spec, continueAll, maxDepth, workers) => {
      const cm = compile(randomModel(spec), undefined);
      const opts: SearchOptions = { continueAfterViolation: continueAll, ...(maxDepth !== undefined ? { maxDepth } : {}) };
      const { seq, par } = both(cm, opts, { kind: 'module', module: fixture, export: 'randomModel', args: [spec] }, workers);
      expectSame(cm, seq, par, JSON.stringify(spec));
    }), { numRuns: Number(process.env.DAXCHECK_RANDOM_RUNS ?? 30) });
  }, 600_000);
});

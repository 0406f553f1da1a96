// Parallel against sequential on random transition systems with invariants,
// action properties, goals, constraints, deadlocks, depth bounds, with and
// without --continue. Workers need a model they can load themselves: the
// systems are built by test/parallel/fixtures/models.mjs from a JSON
// description, which both engines use (ModelSource kind 'module').

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { check, type SearchOptions } from '../../checker/search.js';
import type { ModelSource } from '../../checker/parallel/protocol.js';
// @ts-expect-error plain JavaScript fixture, without type declarations
import { randomModel } from './fixtures/models.mjs';
import { comparable, comparableAtStop, replay } from '../../testkit/parallel.js';

const fixture = new URL('./fixtures/models.mjs', import.meta.url).href;

const specArb = fc.record({ vars: fc.integer({ min: 1, max: 4 }), range: fc.integer({ min: 1, max: 3 }) }).chain(({ vars, range }) => {
  const varArb = fc.integer({ min: 0, max: vars - 1 });
  const valArb = fc.integer({ min: 0, max: range });
  const varVal = fc.record({ var: varArb, val: valArb });
  return fc.record({
    vars: fc.constant(vars),
    range: fc.constant(range),
    inits: fc.integer({ min: 1, max: 2 }),
    actions: fc.array(fc.record({
      guardVar: varArb, guardVal: valArb, guardEq: fc.boolean(), effVar: varArb,
      delta: fc.integer({ min: 1, max: range }), setTo: fc.option(valArb, { nil: null }), width: fc.integer({ min: 1, max: 2 }),
    }), { minLength: 1, maxLength: 5 }),
    invariants: fc.array(varVal, { maxLength: 2 }),
    actionProperties: fc.array(fc.record({ action: fc.integer({ min: 0, max: 4 }), var: varArb, val: valArb }), { maxLength: 2 }),
    goals: fc.array(varVal, { maxLength: 2 }),
    constraint: fc.option(varVal, { nil: undefined }),
    checkDeadlock: fc.boolean(),
  });
});

const optsArb = fc.record({
  continueAfterViolation: fc.boolean(),
  maxDepth: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
  /** Check only the first property (and the goals it names), as --property does. */
  onlyFirst: fc.boolean(),
});

describe('parallel BFS on random transition systems', () => {
  // Every level on the workers (none on the coordinator), claimed one state at
  // a time, so that workers interleave even on these small systems.
  beforeAll(() => { process.env.DAXCHECK_PARALLEL_CHUNK = '1'; process.env.DAXCHECK_PARALLEL_LOCAL_STATES = '0'; });
  afterAll(() => { delete process.env.DAXCHECK_PARALLEL_CHUNK; delete process.env.DAXCHECK_PARALLEL_LOCAL_STATES; });

  it('agrees with the sequential engine: verdicts, traces, counts, coverage', () => {
    fc.assert(fc.property(specArb, optsArb, fc.integer({ min: 2, max: 3 }), (spec, o, workers) => {
      const cm = compile(randomModel(spec), undefined);
      const names = [...cm.invariants, ...cm.actionProperties, ...cm.goals].map((p) => p.name);
      const opts: SearchOptions = {
        continueAfterViolation: o.continueAfterViolation,
        ...(o.maxDepth !== undefined ? { maxDepth: o.maxDepth } : {}),
        ...(o.onlyFirst && names.length ? { properties: [names[0]!] } : {}),
      };
      const source: ModelSource = { kind: 'module', module: fixture, export: 'randomModel', args: [spec] };
      const seq = check(cm, opts);
      const par = check(cm, { ...opts, workers, modelSource: source });
      if (seq.incompleteReason === 'stopped at the first violation') expect(comparableAtStop(par)).toEqual(comparableAtStop(seq));
      else expect(comparable(par)).toEqual(comparable(seq));
      for (const p of par.properties) if (p.trace) expect(replay(cm, p.trace)).toEqual(p.trace.steps.map((s) => s.state));
      if (par.deadlock) expect(replay(cm, par.deadlock.trace)).toEqual(par.deadlock.trace.steps.map((s) => s.state));
    }), { numRuns: Number(process.env.DAXCHECK_RANDOM_RUNS ?? 60) });
  }, 600_000);
});

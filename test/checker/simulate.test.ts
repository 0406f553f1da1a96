import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { simulate } from '../../checker/simulate.js';
import { benchModel } from '../../spec/bench/index.js';
import { daxcheck } from '../../testkit/cli.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check } from '../../checker/search.js';
import fc from 'fast-check';
import { arrayOf, bool, enumOf, indexSet, int, record } from '../../checker/domain.js';
import { Layout } from '../../checker/layout.js';
import { defineModel } from '../../checker/model.js';
import { counterModel } from '../../testkit/models.js';

/** Two initial states, x = 0 and x = 1; the invariant fails only in the second, so only a walk from it finds it. */
function compileWithInits() {
  const schema = record({ x: int(0, 1) });
  return compile(defineModel({
    name: 'two-inits', summary: '', constants: {}, defaultDesign: 'd', designs: { d: { summary: '' } },
    build: () => ({
      schema,
      init: { params: { v: int(0, 1) }, effect: (s: { x: number }, { v }: { v: number }) => { s.x = v; } },
      actions: { Stay: { params: {}, effect: () => {} } },
      properties: { StartsAtZero: { kind: 'invariant' as const, holds: (s: { x: number }) => s.x === 0 } },
    }),
  }), undefined);
}

/** Counts up, but the constraint stops exploring at x = 2, so the goal x = 3 is never reached. */
const constrainedCounter = defineModel({
  name: 'constrained', summary: '', constants: {}, defaultDesign: 'd', designs: { d: { summary: '' } },
  build: () => ({
    schema: record({ x: int(0, 5), seen: arrayOf(indexSet('s', 1), bool) }),
    init: { params: {}, effect: () => {} },
    actions: { Inc: { params: {}, guard: (s: { x: number }) => s.x < 5, effect: (s: { x: number }) => { s.x++; } } },
    properties: { PastTwo: { kind: 'reachable' as const, reached: (s: { x: number }) => s.x === 3 } },
    constraint: (s: { x: number }) => s.x < 2,
    checkDeadlock: false,
  }),
});

/**
 * One step from x = 0 to x = v for v in 1..6, by Set(v): Set(2)'s guard fails
 * and Set(4)'s effect refuses, so the successors are x = 1, 3, 5, 6.
 */
const fanOut = defineModel({
  name: 'fan-out', summary: '', constants: {}, defaultDesign: 'd', designs: { d: { summary: '' } },
  build: () => ({
    schema: record({ x: int(0, 6) }),
    init: { params: {}, effect: () => {} },
    actions: {
      Set: {
        params: { v: int(1, 6) },
        guard: (s: { x: number }, { v }: { v: number }) => s.x === 0 && v !== 2,
        effect: (s: { x: number }, { v }: { v: number }) => { if (v === 4) return false; s.x = v; return true; },
      },
      // Eight more instances that are never enabled, so a walk first draws among all fourteen and mostly misses.
      Never: { params: { k: int(0, 7) }, guard: () => false, effect: () => {} },
    },
    // Which successor a walk took: x = v is reached in that walk only.
    properties: Object.fromEntries([1, 2, 3, 4, 5, 6].map((v) => [`X${v}`, { kind: 'reachable' as const, reached: (s: { x: number }) => s.x === v }])),
    checkDeadlock: false,
  }),
});

describe('random simulation', () => {
  it('draws each step uniformly among the successors, never a refused or disabled one', () => {
    const r = simulate(compile(fanOut, undefined, {}), { runs: 8000, maxDepth: 1, seed: 21 });
    expect(r.steps).toBe(8000);
    expect(r.coverage).toEqual([{ action: 'Set', taken: 8000 }, { action: 'Never', taken: 0 }]);
    const walks = Object.fromEntries(r.goals.map((g) => [g.name, g.walks]));
    expect(walks.X2).toBe(0);
    expect(walks.X4).toBe(0);
    // 8000 draws over four successors: each about 2000; 1800..2200 is over five standard deviations (sd ≈ 38.7) either side.
    for (const v of [1, 3, 5, 6]) { expect(walks[`X${v}`]).toBeGreaterThan(1800); expect(walks[`X${v}`]).toBeLessThan(2200); }
    expect(walks.X1! + walks.X3! + walks.X5! + walks.X6!).toBe(8000);
  });

  it('repeats a run exactly from its seed: the same walks, steps and coverage', () => {
    const cm = compile(benchModel, 'instantiate-only', { files: 3, procs: 3 });
    const a = simulate(cm, { runs: 300, seed: 42 });
    const b = simulate(cm, { runs: 300, seed: 42 });
    const c = simulate(cm, { runs: 300, seed: 43 });
    expect(a.steps).toBe(30_000);
    expect(b.coverage).toEqual(a.coverage);
    expect(c.coverage).not.toEqual(a.coverage);
  });

  it('checks every slot of a step against its domain, as firstOutOfDomain does', () => {
    const layout = new Layout(record({
      b: arrayOf(indexSet('i', 3), bool), e3: enumOf('A', 'B', 'C'), e4: enumOf('A', 'B', 'C', 'D'), n: int(-2, 5), m: int(0, 7), k: int(3, 3),
    }));
    fc.assert(fc.property(fc.array(fc.integer({ min: -4, max: 9 }), { minLength: layout.slots, maxLength: layout.slots }), (values) => {
      const buf = Int32Array.from(values);
      expect(layout.anyOutOfDomain(buf)).toBe(layout.firstOutOfDomain(buf) >= 0);
    }), { numRuns: 2000, seed: 5 });
  });

  it('finds the flip-on-ioctl violation at a size too big to matter and shrinks it to a short walk', () => {
    const r = simulate(compile(benchModel, 'flip-on-ioctl', { files: 4, procs: 4 }), { runs: 2000, seed: 7 });
    expect(r.violation?.property).toBe('NoMixedMappings');
    const labels = r.violation!.trace.steps.map((s) => s.action);
    expect(labels.length - 1).toBeLessThanOrEqual(6);
    expect(labels).toContain('SetFlag');
    expect(labels.at(-1)).toBe('Fault');
  });

  it('finds nothing in the design that holds, and is repeatable by seed', () => {
    const cm = compile(benchModel, 'instantiate-only', { files: 2, procs: 2 });
    expect(simulate(cm, { runs: 200, seed: 3 }).violation).toBeUndefined();
    const a = simulate(compile(benchModel, 'flip-on-ioctl', {}), { runs: 500, seed: 11 });
    const b = simulate(compile(benchModel, 'flip-on-ioctl', {}), { runs: 500, seed: 11 });
    expect(a.violation!.trace.steps.map((s) => s.label)).toEqual(b.violation!.trace.steps.map((s) => s.label));
  });

  it('bound-checks every successor: a value outside its domain is the SchemaViolation check raises', () => {
    const cm = compile(counterModel, 'overshoot', { n: 5 });
    expect(() => check(cm, { properties: ['ReachesTop'] })).toThrow(/action Inc wrote x = 6, outside its domain 0\.\.5/);
    expect(() => simulate(cm, { runs: 5, seed: 1, properties: ['ReachesTop'] })).toThrow(/action Inc wrote x = 6, outside its domain 0\.\.5/);
  });

  it('starts walks from every initial state, not only the first', () => {
    const many = simulate(compileWithInits(), { runs: 200, seed: 3, maxDepth: 1 });
    expect(many.violation?.property).toBe('StartsAtZero');
    expect(many.violation!.trace.steps[0]!.state).toEqual({ x: 1 });
  });

  it('reports a deadlock as a violation, honours --no-deadlock, and stops a walk outside the constraint', () => {
    const dead = simulate(compile(counterModel, 'plain', { n: 3 }), { runs: 50, seed: 4, properties: ['StepsByOne'] });
    expect(dead.violation?.property).toBe('Deadlock');
    expect(dead.violation!.trace.steps.map((st) => st.label)).toEqual(['Init', 'Inc', 'Inc', 'Inc']);
    expect(simulate(compile(counterModel, 'plain', { n: 3 }), { runs: 50, seed: 4, properties: ['StepsByOne'], checkDeadlock: false }).violation).toBeUndefined();
    const constrained = simulate(compile(constrainedCounter, undefined, {}), { runs: 50, seed: 4 });
    expect(constrained.violation).toBeUndefined();
    expect(constrained.goals).toEqual([{ name: 'PastTwo', walks: 0 }]);
  });

  it('says which goals its walks reached and which actions they took', () => {
    const r = simulate(compile(counterModel, 'plain', { n: 5 }), { runs: 30, seed: 9, properties: ['StepsByOne', 'Positive'], checkDeadlock: false });
    expect(r.goals).toEqual([{ name: 'NeverTwoHundred', walks: 0 }]);
    expect(r.coverage).toEqual([{ action: 'Inc', taken: r.steps }]);
    expect(r.steps).toBeGreaterThan(0);
  });

  it('--trace-out writes the shrunk walk as a trace that replays', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-sim-'));
    const r = daxcheck('simulate', 'bench', '--design', 'flip-on-ioctl', '--seed', '5', '--trace-out', dir);
    expect(r.code).toBe(1);
    const file = join(dir, 'bench.flip-on-ioctl.NoMixedMappings.itf.json');
    expect(r.stderr).toContain(`Trace written: ${file}`);
    const again = daxcheck('replay', file);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('NoMixedMappings fails at step');
  });

  it('exits 1 on a violation from the command line', () => {
    const r = daxcheck('simulate', 'bench', '--design', 'flip-on-ioctl', '--seed', '5');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NoMixedMappings is violated');
    expect(daxcheck('simulate', 'bench', '--runs', 'many').code).toBe(2);
  });
});

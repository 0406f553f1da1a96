import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { simulate } from '../../checker/simulate.js';
import { benchModel } from '../../spec/bench/index.js';
import { daxcheck } from '../../testkit/cli.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check } from '../../checker/search.js';
import { arrayOf, bool, indexSet, int, record } from '../../checker/domain.js';
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

describe('random simulation', () => {
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

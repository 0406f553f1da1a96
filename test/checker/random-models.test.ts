// Property tests of the engine on random finite transition systems, checked
// against a plain reference explorer (arrays and a Set of strings).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { arrayOf, indexSet, int, record } from '../../checker/domain.js';
import { defineModel } from '../../checker/model.js';
import { check } from '../../checker/search.js';
import { replayInstances } from '../../checker/trace.js';

interface RandomAction { guardVar: number; guardVal: number; guardEq: boolean; effVar: number; delta: number; setTo: number | null; width: number }
interface RandomSystem { vars: number; range: number; actions: RandomAction[] }

const systemArb: fc.Arbitrary<RandomSystem> = fc.record({ vars: fc.integer({ min: 1, max: 3 }), range: fc.integer({ min: 1, max: 3 }) }).chain(({ vars, range }) =>
  fc.record({
    vars: fc.constant(vars),
    range: fc.constant(range),
    actions: fc.array(fc.record({
      guardVar: fc.integer({ min: 0, max: vars - 1 }),
      guardVal: fc.integer({ min: 0, max: range }),
      guardEq: fc.boolean(),
      effVar: fc.integer({ min: 0, max: vars - 1 }),
      delta: fc.integer({ min: 1, max: range }),
      setTo: fc.option(fc.integer({ min: 0, max: range }), { nil: null }),
      width: fc.integer({ min: 1, max: 2 }),
    }), { minLength: 1, maxLength: 4 }),
  }));

/** The successor of `v` by action a with parameter i, or null when disabled; shared by both explorers. */
function stepOf(sys: RandomSystem, a: RandomAction, i: number, v: number[]): number[] | null {
  if ((v[a.guardVar] === a.guardVal) !== a.guardEq) return null;
  const out = v.slice();
  out[a.effVar] = a.setTo !== null ? (a.setTo + i) % (sys.range + 1) : (v[a.effVar]! + a.delta + i) % (sys.range + 1);
  return out;
}

function modelOf(sys: RandomSystem, target?: number[]) {
  const Vars = indexSet('v', sys.vars);
  const schema = record({ v: arrayOf(Vars, int(0, sys.range)) });
  const actions: Record<string, any> = {};
  sys.actions.forEach((a, k) => {
    actions[`A${k}`] = {
      params: { i: indexSet('i', a.width) },
      guard: (s: { v: Int32Array }) => stepOf(sys, a, 0, [...s.v]) !== null,
      effect: (s: { v: Int32Array }, { i }: { i: number }) => { s.v.set(stepOf(sys, a, i, [...s.v])!); },
    };
  });
  const properties: Record<string, any> = {};
  if (target) properties.Target = { kind: 'reachable', reached: (s: { v: Int32Array }) => target.every((x, j) => s.v[j] === x) };
  return defineModel({
    name: 'random', summary: '', constants: {}, defaultDesign: 'd', designs: { d: { summary: '' } },
    build: () => ({ schema, init: { params: {}, effect: () => {} }, actions, properties, checkDeadlock: false }),
  });
}

function reference(sys: RandomSystem): Map<string, number> {
  const start = new Array(sys.vars).fill(0);
  const dist = new Map([[start.join(','), 0]]);
  let frontier = [start];
  for (let d = 1; frontier.length; d++) {
    const next: number[][] = [];
    for (const v of frontier) {
      for (const a of sys.actions) {
        for (let i = 0; i < a.width; i++) {
          const w = stepOf(sys, a, i, v);
          if (w && !dist.has(w.join(','))) { dist.set(w.join(','), d); next.push(w); }
        }
      }
    }
    frontier = next;
  }
  return dist;
}

describe('engine on random transition systems', () => {
  it('BFS and DFS reach exactly the reference set', () => {
    fc.assert(fc.property(systemArb, (sys) => {
      const ref = reference(sys);
      const bfs = check(compile(modelOf(sys), undefined));
      const dfs = check(compile(modelOf(sys), undefined), { strategy: 'dfs' });
      expect(bfs.distinctStates).toBe(ref.size);
      expect(dfs.distinctStates).toBe(ref.size);
      expect(bfs.depth).toBe(Math.max(...ref.values()));
    }), { numRuns: 200 });
  });

  it('every witness trace replays through enabled actions and is as short as the reference distance', () => {
    fc.assert(fc.property(systemArb, fc.nat(), (sys, pick) => {
      const ref = [...reference(sys)];
      const [key, d] = ref[pick % ref.length]!;
      const target = key.split(',').map(Number);
      const cm = compile(modelOf(sys, target), undefined);
      const r = check(cm);
      const goal = r.properties.find((p) => p.name === 'Target')!;
      expect(goal.status).toBe('reached');
      const steps = goal.trace!.steps;
      expect(steps.length - 1).toBe(d);
      expect(steps.at(-1)!.state).toEqual({ v: target });
      // Replaying the recorded actions from Init must go through, step by step.
      const insts = steps.slice(1).map((s) => cm.instances.find((i) => i.name === s.action && i.params.i === Number(String(s.params.i).slice(1)) - 1)!);
      const again = replayInstances(cm, cm.inits[0]!, insts);
      expect(again.map((s) => s.state)).toEqual(steps.map((s) => s.state));
    }), { numRuns: 200 });
  });

  it('the BFS trace is no longer than any random walk that reaches the same state', () => {
    fc.assert(fc.property(systemArb, fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), (sys, choices) => {
      let v = new Array(sys.vars).fill(0);
      let walked = 0;
      for (const c of choices) {
        const succ = sys.actions.flatMap((a) => Array.from({ length: a.width }, (_, i) => stepOf(sys, a, i, v))).filter((w): w is number[] => w !== null);
        if (succ.length === 0) break;
        v = succ[c % succ.length]!;
        walked++;
      }
      const r = check(compile(modelOf(sys, v), undefined));
      const goal = r.properties.find((p) => p.name === 'Target')!;
      expect(goal.trace!.steps.length - 1).toBeLessThanOrEqual(walked);
    }), { numRuns: 200 });
  });
});

import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { check } from '../../checker/search.js';
import { SchemaViolation } from '../../checker/errors.js';
import { counterModel } from '../../testkit/models.js';

const byName = (r: ReturnType<typeof check>, n: string) => r.properties.find((p) => p.name === n)!;

describe('verdicts', () => {
  it('an invariant fails with the shortest trace, and the run stops there', () => {
    const r = check(compile(counterModel, 'plain', { n: 10 }));
    const p = byName(r, 'BelowThree');
    expect(p.status).toBe('violated');
    expect(p.holds).toBe(false);
    expect(p.trace!.steps.map((s) => s.state)).toEqual([{ x: 0 }, { x: 1 }, { x: 2 }, { x: 3 }]);
    expect(r.complete).toBe(false);
    expect(r.incompleteReason).toMatch(/first violation/);
  });

  it('--continue reports every property, goals with witnesses, and a vacuous pass', () => {
    const r = check(compile(counterModel, 'plain', { n: 10 }), { continueAfterViolation: true, checkDeadlock: false });
    expect(r.complete).toBe(true);
    expect(byName(r, 'StepsByOne').status).toBe('holds');
    expect(byName(r, 'ReachesTop')).toMatchObject({ status: 'reached', holds: true });
    expect(byName(r, 'ReachesTop').trace!.steps).toHaveLength(11);
    expect(byName(r, 'NeverTwoHundred')).toMatchObject({ status: 'vacuous', holds: false });
    expect(byName(r, 'Positive')).toMatchObject({ status: 'vacuous', vacuousBecause: ['NeverTwoHundred'] });
  });

  it('a depth bound never reports a property as holding outright', () => {
    const r = check(compile(counterModel, 'plain', { n: 10 }), { maxDepth: 2, properties: ['StepsByOne', 'ReachesTop'], checkDeadlock: false });
    expect(r.complete).toBe(false);
    expect(r.incompleteReason).toMatch(/depth bound 2/);
    expect(byName(r, 'StepsByOne')).toMatchObject({ status: 'bounded', holds: null });
    expect(byName(r, 'ReachesTop')).toMatchObject({ status: 'bounded', holds: null });
  });

  it('an action property fails on the transition, and its trace ends with that step', () => {
    const cm = compile(counterModel, 'plain', { n: 4 });
    const bad = { ...cm, actionProperties: [{ name: 'NeverToTwo', def: { kind: 'action' as const, holds: (_b: any, _s: any, a: any) => a.x !== 2 }, actions: undefined }] };
    const r = check(bad, { checkDeadlock: false });
    const p = byName(r, 'NeverToTwo');
    expect(p.status).toBe('violated');
    expect(p.trace!.violatingStep).toBe(2);
    expect(p.trace!.steps.map((s) => s.state)).toEqual([{ x: 0 }, { x: 1 }, { x: 2 }]);
  });

  it('a fingerprint store that fills up stops the run loudly, never silently', () => {
    const roomy = check(compile(counterModel, 'plain', { n: 1000 }), { maxStoreBytes: 2 ** 20, properties: ['StepsByOne'], checkDeadlock: false });
    expect(roomy.complete).toBe(true);
    expect(roomy.distinctStates).toBe(1001);
    const tiny = check(compile(counterModel, 'plain', { n: 1000 }), { maxStoreBytes: 4096, properties: ['StepsByOne'], checkDeadlock: false });
    expect(tiny.complete).toBe(false);
    expect(tiny.incompleteReason).toMatch(/fingerprint store full/);
    expect(byName(tiny, 'StepsByOne').status).toBe('bounded');
  });

  it('an effect writing outside its domain is an error naming action, variable and value', () => {
    const cm = compile(counterModel, 'overshoot', { n: 3 });
    expect(() => check(cm, { properties: ['StepsByOne'] })).toThrow(SchemaViolation);
    expect(() => check(cm, { properties: ['StepsByOne'] })).toThrow('action Inc wrote x = 4, outside its domain 0..3');
  });
});

// How the parallel engine fails: clearly, and as the sequential engine does.

import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { SchemaViolation } from '../../checker/errors.js';
import { check } from '../../checker/search.js';
// @ts-expect-error plain JavaScript fixture, without type declarations
import { overshootModel, randomModel } from './fixtures/models.mjs';
import { counterModel } from '../../testkit/models.js';

const fixture = new URL('./fixtures/models.mjs', import.meta.url).href;

describe('parallel BFS errors', () => {
  it('workers need to know which module to load the model from', () => {
    const cm = compile(counterModel, 'plain', { n: 5 });
    expect(() => check(cm, { workers: 2 })).toThrow(/--workers: worker threads load model counter from its module; give a modelSource/);
  });

  it('a worker that compiles a different model refuses to run', () => {
    const spec = { vars: 1, range: 2, inits: 1, actions: [{ guardVar: 0, guardVal: 0, guardEq: false, effVar: 0, delta: 1, setTo: null, width: 1 }], checkDeadlock: false };
    const cm = compile(randomModel(spec), undefined);
    const other = { ...spec, range: 3 };
    expect(() => check(cm, { workers: 2, modelSource: { kind: 'module', module: fixture, export: 'randomModel', args: [other] } }))
      .toThrow(/differs from the one being checked/);
  });

  it('an effect writing outside its domain is the same SchemaViolation', () => {
    const cm = compile(overshootModel, undefined);
    const seq = (() => { try { check(cm); } catch (e) { return e; } })() as SchemaViolation;
    const par = (() => { try { check(cm, { workers: 2, modelSource: { kind: 'module', module: fixture, export: 'overshootModel' } }); } catch (e) { return e; } })() as SchemaViolation;
    expect(seq).toBeInstanceOf(SchemaViolation);
    expect(par).toBeInstanceOf(SchemaViolation);
    expect(par.message).toBe(seq.message);
    // Which action wrote it, by name, crosses the threads too (the command line tells a user's file by it).
    expect(seq.origin).toEqual({ model: 'overshoot', design: 'bad', action: 'Inc' });
    expect(par.origin).toEqual(seq.origin);
  });

  it('a bad worker count is a usage error', () => {
    const cm = compile(counterModel, 'plain', { n: 5 });
    expect(() => check(cm, { workers: 2.5 })).toThrow(/--workers takes a whole number/);
  });
});

// A liveness property and its fairness written in a file outside the
// repository, through the public API ('daxcheck'), and the user's mistake
// of assuming fairness of an action the model does not have.

import { describe, expect, it } from 'vitest';
import { daxcheckIn, userDir } from '../../testkit/outside.js';

const model = (fairness: string) => "import { defineModel, eventually, int, intConstant, record, weakFairness } from 'daxcheck';\n"
  + 'export const counter = defineModel({\n'
  + "  name: 'counter', summary: 'counts up to its limit', defaultDesign: 'plain',\n"
  + "  constants: { limit: intConstant(1, 5, 3, 'the largest value') },\n"
  + "  designs: { plain: { summary: 'counts up' } },\n"
  + '  build: (c: { limit: number }) => ({\n'
  + '    schema: record({ n: int(0, c.limit) }),\n'
  + '    init: { params: {}, effect: () => {} },\n'
  + '    actions: { Inc: { params: {}, guard: (s: any) => s.n < c.limit, effect: (s: any) => { s.n++; } } },\n'
  + `    properties: { ReachesLimit: { kind: 'liveness', formula: eventually((s: any) => s.n === c.limit), fairness: [${fairness}] } },\n`
  + '    checkDeadlock: false,\n'
  + '  }),\n'
  + '});\n';

const dir = userDir({ 'fair.ts': model("weakFairness('Inc')"), 'unfair.ts': model(''), 'typo.ts': model("weakFairness('Incr')") });

describe('a liveness property in a model file', () => {
  it('holds under WF(Inc), and without it the counter may stop: a lasso at 0', () => {
    const fair = daxcheckIn(dir, 'check', 'counter', '--model-file', 'fair.ts', '--json');
    expect(fair.code).toBe(0);
    expect(JSON.parse(fair.stdout).properties[0]).toMatchObject({ name: 'ReachesLimit', kind: 'liveness', status: 'holds' });
    const unfair = daxcheckIn(dir, 'check', 'counter', '--model-file', 'unfair.ts', '--json');
    expect(unfair.code).toBe(1);
    const p = JSON.parse(unfair.stdout).properties[0];
    expect(p.status).toBe('violated');
    expect(p.loop).toBe(0);
  });

  it('with --workers 2 (the threads load the file\'s model themselves): the same verdicts and lasso', () => {
    const fair = daxcheckIn(dir, 'check', 'counter', '--model-file', 'fair.ts', '--workers', '2', '--json');
    expect(fair.code).toBe(0);
    expect(JSON.parse(fair.stdout).properties[0]).toMatchObject({ name: 'ReachesLimit', status: 'holds' });
    const unfair = daxcheckIn(dir, 'check', 'counter', '--model-file', 'unfair.ts', '--workers', '2', '--json');
    expect(unfair.code).toBe(1);
    expect(JSON.parse(unfair.stdout).properties[0]).toMatchObject({ status: 'violated', loop: 0 });
  });

  it('fairness of an action the model does not have names it and the actions there are', () => {
    const r = daxcheckIn(dir, 'check', 'counter', '--model-file', 'typo.ts');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/property ReachesLimit: fairness names action 'Incr', which this design does not have; its actions are: Inc/);
  });
});

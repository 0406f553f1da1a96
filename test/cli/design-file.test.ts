// --design-file: a design in a file outside the repository, checked, tabulated, run on workers,
// replayed across designs; each mistake in such a file reported as the user's (exit 2, file and line).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { partsFor } from '../../checker/model.js';
import { daxModel } from '../../spec/dax/index.js';
import { daxcheckIn, userDir } from '../../testkit/outside.js';

const broken: Record<string, string> = {
  "syntax.ts": "import { defineDesign } from 'daxcheck';\nexport default defineDesign({ model: 'dax', name: 'x', summary: 's', base: 'instantiate-only' ;\n",
  "none.ts": "export const answer = 42;\n",
  "other.ts": "import { defineDesign } from 'daxcheck';\nexport default defineDesign({ model: 'passthrough', name: 'pt-mine', summary: 's', base: 'landed' });\n",
  "noaction.ts": "import { defineDesign } from 'daxcheck';\nexport default defineDesign({ model: 'dax', name: 'mine', summary: 's', base: 'instantiate-only',\n  extend: () => ({ change: { Mmapp: (a) => a } }) });\n",
  "noprop.ts": "import { defineDesign } from 'daxcheck';\nexport default defineDesign({ model: 'dax', name: 'mine', summary: 's', base: 'instantiate-only',\n  extend: () => ({ properties: { Mine: { kind: 'action', actions: ['Fsync'], holds: () => true } } }) });\n",
  "undeclared.ts": "import { defineDesign, daxShape, action } from 'daxcheck';\nexport default defineDesign({ model: 'dax', name: 'mine', summary: 's', base: 'instantiate-only',\n  extend: (c: any) => ({ actions: { Touch: action({ params: { f: daxShape(c).Files }, effect: (s: any, { f }) => { s.touched[f] = 1; } }) } }) });\n",
  "domain.ts": "import { defineDesign, daxShape, action, arrayOf, bool } from 'daxcheck';\nexport default defineDesign({ model: 'dax', name: 'mine', summary: 's', base: 'instantiate-only',\n  extend: (c: any) => ({ variables: { touched: arrayOf(daxShape(c).Files, bool) },\n    actions: { Touch: action({ params: { f: daxShape(c).Files }, effect: (s: any, { f }) => { s.touched[f] = 2; } }) } }) });\n",
  "types.ts": "import { defineDesign, flipWithoutFlsh } from 'daxcheck';\nexport default defineDesign({ model: 'dax', name: 'mine', summary: 's', base: 'instantiate-only',\n  extend: () => ({ properties: { Mine: { kind: 'reachable', reached: () => 1 } } }) });\nflipWithoutFlsh;\n",
  "goal.js": "import { defineDesign } from 'daxcheck';\nexport default defineDesign({ model: 'dax', name: 'mine', summary: 's', base: 'instantiate-only',\n  extend: () => ({ properties: { Mine: { kind: 'reachable', reached: () => 1 } } }) });\n",
  "nogoal.ts": "import { defineDesign } from 'daxcheck';\nexport default defineDesign({ model: 'dax', name: 'mine', summary: 's', base: 'instantiate-only',\n  extend: () => ({ properties: { Mine: { kind: 'invariant', holds: () => true, nonVacuousIf: ['SomeFileFsynced'] } } }) });\n",
  "change.ts": "import { defineDesign } from 'daxcheck';\nexport default defineDesign({ model: 'dax', name: 'mine', summary: 's', base: 'instantiate-only',\n  extend: () => ({ change: {\n    Close: (base) => ({ ...base, effect: (s, a) => { base.effect(s, a); s.sDax[a.f] = 3; } }),\n  } }) });\n",
  "throws.ts": "import { defineDesign, daxShape, action } from 'daxcheck';\nconst nothing: any = undefined;\nexport default defineDesign({ model: 'dax', name: 'mine', summary: 's', base: 'instantiate-only',\n  extend: (c: any) => ({ actions: { Touch: action({ params: { f: daxShape(c).Files },\n    effect: (s: any, { f }) => { nothing.field[f] = 1; } }) } }) });\n"
};

const overflowModel = "import { defineModel, int, record } from 'daxcheck';\nexport const overflow = defineModel({\n  name: 'overflow', summary: 'a counter with no guard', defaultDesign: 'unguarded', constants: {},\n  designs: { unguarded: { summary: 'counts past its largest value' } },\n  build: () => ({\n    schema: record({ n: int(0, 2) }), init: { params: {}, effect: () => {} },\n    actions: { Inc: { params: {}, effect: (s: any) => { s.n++; } } },\n    properties: {}, checkDeadlock: false,\n  }),\n});\n";

const counterModel = "import { defineModel, int, intConstant, record } from 'daxcheck';\nexport const counter = defineModel({\n  name: 'counter', summary: 'a counter that must stay below its limit', defaultDesign: 'unbounded',\n  constants: { limit: intConstant(1, 5, 3, 'the largest value') },\n  designs: { unbounded: { summary: 'counts up to the largest value' } },\n  build: (c: { limit: number }) => ({\n    schema: record({ n: int(0, c.limit) }),\n    init: { params: {}, effect: () => {} },\n    actions: { Inc: { params: {}, guard: (s: any) => s.n < c.limit, effect: (s: any) => { s.n++; } } },\n    properties: { BelowLimit: { kind: 'invariant', holds: (s: any) => s.n < c.limit } },\n    checkDeadlock: false,\n  }),\n});\n";


const dir = userDir({ ...broken, 'counter.ts': counterModel, 'overflow.ts': overflowModel });
const run = (...args: string[]) => daxcheckIn(dir, ...args);
// The base design's properties, in the order the model declares them (the message lists them all).
const daxDefaults = Object.fromEntries(Object.entries(daxModel.constants).map(([k, d]) => [k, (d as { default: number | string }).default]));
const daxProperties = Object.keys(partsFor(daxModel, 'instantiate-only', daxDefaults as never).properties).join(', ');
const actions = 'Open, Mmap, SetFlag, PageFault, Load, Store, Read, Write, Writeback, Munmap, Close, Fork, Exit, Statx, DropCaches';
// A design that checks before it flips S_DAX live is cut at the kernel's locks (cut=locks): three more actions.
const flipActions = 'Open, Mmap, SetFlag, SetFlagFlip, PageFault, FaultHandler, Load, Store, Read, Write, WriteData, Writeback, Munmap, Close, Fork, Exit, Statx, DropCaches';

describe('a design file outside the repository', () => {
  it('check: its design is checked, with its own variable, action and goal', () => {
    const r = run('check', 'dax', '--design-file', 'flip-when-unmapped.ts', '--continue', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ model: 'dax', design: 'flip-when-unmapped', complete: true, distinctStates: 85180, statesGenerated: 718088 });
    const status = Object.fromEntries(j.properties.map((p: { name: string; status: string }) => [p.name, p.status]));
    expect(status).toMatchObject({ SDaxStableWhileInUse: 'violated', ReadSeesLastWrite: 'violated', SomeFileFsynced: 'reached', StatxTellsTheTruth: 'holds' });
  });

  it('check --workers 2 loads the design in every worker and finds the same states', () => {
    // (--progress 600: on a loaded machine the run, liveness included, may pass the 5 s of the first progress line)
    const r = run('check', 'dax', '--design-file', 'flip-when-unmapped.ts', '--continue', '--json', '--workers', '2', '--progress', '600');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ design: 'flip-when-unmapped', distinctStates: 85180, statesGenerated: 718088 });
  });

  it('the counterexample prints the new action in kernel words and the new variable', () => {
    const r = run('check', 'dax', '--design-file', 'flip-when-unmapped.ts', '--property', 'SomeFileFsynced', '--no-coverage', '--witnesses');
    expect(r.stdout).toContain('Fsync p1 f1   p1: fsync(fd of f1)');
    expect(r.stdout).toContain('fsynced[f1]: false -> true');
  });

  it('matrix adds its column beside the built-in ones', () => {
    const r = run('matrix', 'dax', '--design-file', 'flip-when-unmapped.ts', '--json');
    expect(r.code).toBe(0);
    const [m] = JSON.parse(r.stdout);
    expect(m.designs.slice(-2)).toEqual(['virtiofs-dontcache-at-ioctl', 'flip-when-unmapped']);
    expect(m.designs).toHaveLength(16);
    // Open, SetFlag (the -EBUSY check), SetFlagFlip: the lock cut splits a design's check from its flip.
    expect(m.cells['flip-when-unmapped'].SDaxStableWhileInUse).toMatchObject({ status: 'violated', traceLength: 3 });
    expect(m.cells['flip-when-unmapped'].SomeFileFsynced).toMatchObject({ status: 'reached', traceLength: 2 });
    expect(m.cells['instantiate-only'].SomeFileFsynced).toBeUndefined();
    expect(run('matrix', '--design-file', 'flip-when-unmapped.ts').stderr).toBe(
      'daxcheck: error: --design-file needs exactly one model, e.g. daxcheck matrix dax --design-file my-design.ts\n');
  });

  it('simulate runs it', () => {
    const r = run('simulate', 'dax', '--design-file', 'flip-when-unmapped.ts', '--seed', '1', '--runs', '50', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ design: 'flip-when-unmapped' });
  });

  it('its trace replays against itself, against a built-in design without its variable, and a built-in trace against it', () => {
    expect(run('check', 'dax', '--design-file', 'flip-when-unmapped.ts', '--trace-out', 'out').code).toBe(1);
    const trace = 'out/dax.flip-when-unmapped.SDaxStableWhileInUse.itf.json';
    const own = run('replay', trace, '--design-file', 'flip-when-unmapped.ts');
    expect(own.code).toBe(0);
    expect(own.stdout).toContain('Reproduced: every step is enabled under design flip-when-unmapped');

    const fix = run('replay', trace, '--design-file', 'flip-when-unmapped.ts', '--design', 'instantiate-only', '--json');
    expect(fix.code).toBe(1);
    const j = JSON.parse(fix.stdout);
    expect(j).toMatchObject({ design: 'instantiate-only', recordedDesign: 'flip-when-unmapped', verdict: 'diverges', leftOut: { notInModel: ['fsynced'], notInTrace: [] } });
    expect(j.stateDivergence).toMatchObject({ step: 2, label: 'SetFlag(FS_XFLAG_DAX=1) p1 f1' });
    const text = run('replay', trace, '--design-file', 'flip-when-unmapped.ts', '--design', 'instantiate-only').stdout;
    expect(text).toContain("Compared on the variables both have; left out: the trace's fsynced (design instantiate-only does not have it).");

    // Without the design file the trace names a design the model does not have.
    expect(run('replay', trace).stderr).toContain("recorded under design 'flip-when-unmapped', which model dax does not have");

    run('check', 'dax', '--design', 'flip-without-flush', '--property', 'NoMixedMappings', '--trace-out', 'out');
    const other = run('replay', 'out/dax.flip-without-flush.NoMixedMappings.itf.json', '--design-file', 'flip-when-unmapped.ts', '--json');
    expect(JSON.parse(other.stdout)).toMatchObject({ design: 'flip-when-unmapped', leftOut: { notInModel: [], notInTrace: ['fsynced'] } });
  });

  it('show and repro read its traces', () => {
    run('check', 'dax', '--design-file', 'flip-when-unmapped.ts', '--trace-out', 'out');
    const s = run('show', 'out/dax.flip-when-unmapped.SDaxStableWhileInUse.itf.json', '--design-file', 'flip-when-unmapped.ts');
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('model dax, design flip-when-unmapped');
    expect(s.stdout).toContain('fsynced = [false]');

    // Under a design whose variables differ, each way: the variables both have, and which were left out.
    const fix = run('show', 'out/dax.flip-when-unmapped.SDaxStableWhileInUse.itf.json', '--design-file', 'flip-when-unmapped.ts', '--design', 'ebusy-while-mapped');
    expect(fix.stderr).toBe('');
    expect(fix.code).toBe(0);
    expect(fix.stdout.split('\n').slice(1, 3)).toEqual([
      "Shown on the variables both have; left out: the trace's fsynced (design ebusy-while-mapped does not have it).", '  0. Init']);
    expect(fix.stdout).toContain('2. SetFlag(FS_XFLAG_DAX=1) p1 f1');
    expect(fix.stdout).not.toContain('fsynced =');
    run('check', 'dax', '--design', 'flip-without-flush', '--property', 'NoMixedMappings', '--trace-out', 'out');
    const other = run('show', 'out/dax.flip-without-flush.NoMixedMappings.itf.json', '--design-file', 'flip-when-unmapped.ts', '--design', 'flip-when-unmapped');
    expect(other.code).toBe(0);
    expect(other.stdout).toContain("Shown on the variables both have; left out: design flip-when-unmapped's fsynced (the trace does not record it).");
    expect(other.stdout).not.toContain('fsynced =');
    expect(other.stdout).toContain('NoMixedMappings fails here');
    const c = run('repro', 'out/dax.flip-when-unmapped.SDaxStableWhileInUse.itf.json', '--lang', 'c', '--design-file', 'flip-when-unmapped.ts');
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('FS_IOC_FSSETXATTR');
  });
});

describe("mistakes in a design file are the user's: exit 2, one line, file and line where there is one", () => {
  const error = (file: string) => {
    const r = run('check', 'dax', '--design-file', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    return r.stderr;
  };
  it('a syntax error', () => expect(error('syntax.ts')).toBe('daxcheck: error: syntax.ts:2:95: Expected "}" but found ";"\n'));
  it('no design exported', () => expect(error('none.ts')).toBe(
    "daxcheck: error: none.ts exports no design; export one made with defineDesign({ model, name, summary, base, ... }) from 'daxcheck'\n"));
  it('a design of another model', () => expect(error('other.ts')).toBe('daxcheck: error: other.ts: design pt-mine is a design of model passthrough, not of dax\n'));
  it('an action the base does not have', () => expect(error('noaction.ts')).toBe(
    `daxcheck: error: noaction.ts: design mine changes action 'Mmapp', which model dax does not have; its actions are: ${actions}\n`));
  it('a property over an action the base does not have', () => expect(error('noprop.ts')).toBe(
    `daxcheck: error: noprop.ts: design mine property Mine constrains action 'Fsync', which model dax does not have; its actions are: ${actions}\n`));
  it('a state variable used but not declared', () => expect(error('undeclared.ts')).toBe(
    "daxcheck: error: undeclared.ts: design mine: action Touch reads state variable 'touched', which is not declared; declare it in the design's variables "
    + '(declared: xflagDax, size, storage, lastWrite, inode, sDax, iDontcache, dDontcache, entryValid, attrValid, pageCache, daxEntries, pageVersion, modeChange, fd, vma, vmaReadOnly, pte, fault, ioctl, writePath, dLru)\n'));
  it('a type error: the first, with file, line and column, and how many more', () => expect(error('types.ts')).toBe(
    `daxcheck: error: types.ts:1:24: '"daxcheck"' has no exported member named 'flipWithoutFlsh'. Did you mean 'flipWithoutFlush'? (and 1 more)\n`));
  it('a type error in a chain of them: the first level and the innermost one', () => {
    writeFileSync(join(dir, 'goal.ts'), readFileSync(join(dir, 'goal.js')));
    expect(error('goal.ts')).toBe("daxcheck: error: goal.ts:3:3: Type '() => { properties: { Mine: { kind: \"reachable\"; reached: () => number; }; }; }' is not assignable to type "
      + "'(c: Readonly<Record<string, string | number>>, base: ModelParts<RecordDomain<Record<string, Domain>>>) => DesignExtension'. Type 'number' is not assignable to type 'boolean'.\n");
  });
  it('a JavaScript file is not type-checked: the same design runs', () => {
    const r = run('check', 'dax', '--design-file', 'goal.js', '--property', 'Mine', '--json');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).properties).toEqual([expect.objectContaining({ name: 'Mine', status: 'reached' })]);
  });
  it('a property naming a goal the base does not have', () => expect(error('nogoal.ts')).toBe(
    `daxcheck: error: nogoal.ts: design mine property Mine names goal 'SomeFileFsynced', which model dax does not have; its properties are: ${daxProperties}\n`));
  it('a value outside its domain: the file and the line of the action that wrote it', () => {
    expect(error('domain.ts')).toBe('daxcheck: error in design file: domain.ts:4: action Touch(f1) wrote touched[f1] = 2, outside its domain true|false\n');
    // The same from the worker threads of --workers, and from a base action the design changed.
    expect(run('check', 'dax', '--design-file', 'domain.ts', '--workers', '2').stderr).toBe(
      'daxcheck: error in design file: domain.ts:4: action Touch(f1) wrote touched[f1] = 2, outside its domain true|false\n');
    expect(error('change.ts')).toBe('daxcheck: error in design file: change.ts:4: action Close p1 f1 wrote sDax[f1] = 3, outside its domain true|false\n');
  });
  it('an exception thrown by its code: file and line, no stack', () => expect(error('throws.ts')).toBe(
    "daxcheck: error in design file: throws.ts:5: TypeError: Cannot read properties of undefined (reading 'field')\n"));
  it('a file that is not there', () => expect(error('nothere.ts')).toBe('daxcheck: error: --design-file nothere.ts: no such file\n'));
  it('an unknown action to avoid lists the actions', () => {
    const r = run('check', 'dax', '--design-file', 'flip-when-unmapped.ts', '--avoid-action', 'Fsinc');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`daxcheck: error: --avoid-action Fsinc: design flip-when-unmapped has no action 'Fsinc'; its actions are: ${flipActions}, Fsync\n`);
  });
});

describe('--model-file: a whole model from a file', () => {
  it('check, --workers 2 and matrix run it under its own name', () => {
    const r = run('check', 'counter', '--model-file', 'counter.ts', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ model: 'counter', design: 'unbounded', constants: { limit: 3 }, distinctStates: 4 });
    const w = run('check', 'counter', '--model-file', 'counter.ts', '--json', '--workers', '2', '--const', 'limit=5');
    expect(w.stderr).toBe('');
    expect(JSON.parse(w.stdout)).toMatchObject({ model: 'counter', constants: { limit: 5 }, distinctStates: 6 });
    const m = JSON.parse(run('matrix', 'counter', '--model-file', 'counter.ts', '--json').stdout);
    expect(m[0].cells.unbounded.BelowLimit).toEqual({ status: 'violated', traceLength: 3 });
  });

  it('a value outside its domain names the model file and the line', () => {
    const r = run('check', 'overflow', '--model-file', 'overflow.ts');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('daxcheck: error in design file: overflow.ts:7: action Inc wrote n = 3, outside its domain 0..2\n');
  });

  it('an unknown model lists the file\'s models too; a file without a model says so', () => {
    expect(run('check', 'nope', '--model-file', 'counter.ts').stderr).toBe(
      "daxcheck: error: unknown model 'nope'; the models are: dax, passthrough, virtiofs-modes, bench, counter (from --model-file)\n");
    expect(run('check', 'dax', '--model-file', 'flip-when-unmapped.ts').stderr).toBe(
      "daxcheck: error: flip-when-unmapped.ts exports no model; export one made with defineModel({ name, summary, constants, build, designs, defaultDesign }) from 'daxcheck'\n");
  });
});

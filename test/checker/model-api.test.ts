// The model API's promises: an action property names the actions it
// constrains (and a wrong name is an error, not a silent pass), the acting
// process is declared, initial states range over whole functions in a fixed
// order, and a label reads the step's states.

import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { arrayOf, bool, indexSet, int, record } from '../../checker/domain.js';
import { actionsOf, defineModel, type ActionProperty, type DesignInfo, type ModelParts } from '../../checker/model.js';
import { check } from '../../checker/search.js';
import { daxModel } from '../../spec/dax/index.js';

const Procs = indexSet('p', 2);
const schema = record({ n: int(0, 3), last: int(0, 1) });
const action = actionsOf<typeof schema>();

/** n counts up by A (acted by a process) or by B (no actor); `constrains` is what the property says it constrains. */
function twoActions(constrains: readonly string[] | undefined) {
  const OnlyA: ActionProperty<typeof schema> = {
    kind: 'action',
    ...(constrains ? { actions: constrains } : {}),
    holds: (_b, step) => step.action === 'A',
  };
  return defineModel({
    name: 'two', summary: 'test', constants: {}, defaultDesign: 'd', designs: { d: { summary: '' } } as Record<string, DesignInfo>,
    build: () => ({
      schema,
      init: { params: {}, effect: () => {} },
      actions: {
        A: action({ params: { p: Procs }, actor: 'p', guard: (s) => s.n < 3, effect: (s, { p }) => { s.n++; s.last = p; }, label: ({ p }) => `A by p${p + 1}` }),
        B: action({
          params: {}, guard: (s) => s.n < 3, effect: (s) => { s.n++; },
          label: (_a, before, after) => `B ${before.n} → ${after.n}`,
        }),
      },
      properties: { OnlyA },
      checkDeadlock: false,
    }),
  });
}

describe('an action property declares the actions it constrains', () => {
  it('is evaluated only on steps of those actions', () => {
    const everyStep = check(compile(twoActions(undefined), 'd'));
    expect(everyStep.properties.find((p) => p.name === 'OnlyA')?.status).toBe('violated');
    const cm = compile(twoActions(['A']), 'd');
    expect(cm.actionProperties[0]!.actions).toEqual([0]);
    expect(check(cm).properties.find((p) => p.name === 'OnlyA')?.status).toBe('holds');
  });

  it('a name the design does not have is an error naming the property, the action and the actions there are', () => {
    expect(() => compile(twoActions(['PageFault']), 'd'))
      .toThrow("property OnlyA constrains action 'PageFault', which this design does not have; its actions are: A, B");
  });

  it('every dax action property that names actions names ones every design has', () => {
    for (const design of Object.keys(daxModel.designs)) {
      const cm = compile(daxModel, design);
      const named = cm.actionProperties.filter((p) => p.actions !== undefined);
      expect(named.map((p) => p.name).sort()).toEqual(['FaultFollowsMapping', 'MkwriteServedAsStarted', 'NewModeAfterLastClose', 'ReadSeesLastWrite']);
    }
  });
});

describe('the acting process is a declared part of the step', () => {
  it('StepInfo.process is the actor parameter, and absent for an action with none', () => {
    const cm = compile(twoActions(undefined), 'd');
    expect(cm.instances.map((i) => i.step.process)).toEqual([0, 1, undefined]);
  });

  it('an actor that is not an index-set parameter is refused', () => {
    const bad = defineModel({
      name: 'bad', summary: '', constants: {}, defaultDesign: 'd', designs: { d: { summary: '' } } as Record<string, DesignInfo>,
      build: () => ({
        schema, init: { params: {}, effect: () => {} }, properties: {},
        actions: { A: action({ params: { v: bool }, actor: 'v', effect: () => {} }) },
      }),
    });
    expect(() => compile(bad, 'd')).toThrow("action A: its actor 'v' is not one of its index-set parameters (v)");
  });
});

describe('a label reads the step\'s states', () => {
  it('with the before and after vectors it prints the outcome; without them the action and its parameters', () => {
    const cm = compile(twoActions(undefined), 'd');
    const b = cm.instances[2]!;
    const before = cm.layout.blank();
    const after = Int32Array.from(before);
    b.effect(cm.layout.view(after), b.params);
    expect(cm.label(b, before, after)).toBe('B 0 → 1');
    expect(cm.label(b)).toBe('B');
    expect(cm.label(cm.instances[1]!)).toBe('A by p2');
  });
});

describe('initial states range over whole functions', () => {
  it('xflagDax ∈ [Files → BOOLEAN] and size ∈ [Files → SizeAtStart], enumerated file by file (f1 slowest)', () => {
    const cm = compile(daxModel, 'instantiate-only', { files: 2 });
    expect(cm.paramDomains('Init')).toEqual({ xflagDax: arrayOf(indexSet('f', 2), bool), size: expect.objectContaining({ kind: 'array' }) });
    expect(cm.inits).toHaveLength(16);
    expect(cm.inits.slice(0, 5).map((i) => cm.showParams(i))).toEqual([
      { xflagDax: [false, false], size: ['empty', 'empty'] },
      { xflagDax: [false, false], size: ['empty', 'small'] },
      { xflagDax: [false, true], size: ['empty', 'empty'] },
      { xflagDax: [false, true], size: ['empty', 'small'] },
      { xflagDax: [false, false], size: ['small', 'empty'] },
    ]);
    expect(cm.showParams(cm.inits[8]!)).toEqual({ xflagDax: [true, false], size: ['empty', 'empty'] });
  });
});

describe('a design may add state variables and actions of its own', () => {
  const counter = record({ n: int(0, 2) });
  const withGhost = record({ n: int(0, 2), resets: int(0, 1) });
  function plain(): ModelParts<typeof counter> {
    const act = actionsOf<typeof counter>();
    return { schema: counter, init: { params: {}, effect: () => {} }, properties: {}, checkDeadlock: false,
      actions: { Inc: act({ params: {}, guard: (s) => s.n < 2, effect: (s) => { s.n++; } }) } };
  }
  function resetting(): ModelParts<typeof withGhost> {
    const act = actionsOf<typeof withGhost>();
    return { schema: withGhost, init: { params: {}, effect: () => {} }, properties: {}, checkDeadlock: false,
      actions: {
        Inc: act({ params: {}, guard: (s) => s.n < 2, effect: (s) => { s.n++; } }),
        Reset: act({ params: {}, guard: (s) => s.n === 2 && s.resets === 0, effect: (s) => { s.n = 0; s.resets = 1; } }),
      } };
  }
  const model = defineModel({
    name: 'grow', summary: '', constants: {}, defaultDesign: 'plain',
    designs: { plain: { summary: '' }, resetting: { summary: '', resets: true } } as Record<string, DesignInfo & { resets?: boolean }>,
    build: (_c, d): ModelParts => (d.resets ? resetting() : plain()),
  });

  it('each design is compiled over its own schema', () => {
    expect(compile(model, 'plain').layout.slotNames).toEqual(['n']);
    const cm = compile(model, 'resetting');
    expect(cm.layout.slotNames).toEqual(['n', 'resets']);
    expect(cm.actionNames).toEqual(['Inc', 'Reset']);
    expect(check(cm).distinctStates).toBe(6);
  });
});

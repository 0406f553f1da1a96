import { describe, expect, it } from 'vitest';
import { ACTION_VAR, PICKS_VAR, decodeTrace, fromItf, readSavedTrace } from '../../traces/codec.js';
import { encodeTrace } from '../../traces/encode.js';
import { ItfError } from '../../traces/itf.js';
import { parseItf } from '../../traces/itf-read.js';
import { formatItf, itfToJson } from '../../traces/itf-write.js';
import { counterexample } from '../../testkit/traces.js';

describe('daxcheck traces in ITF', () => {
  const { cm, trace, property, doc } = counterexample('bench', 'flip-on-ioctl');
  const itf = encodeTrace(trace, cm, { name: property, kind: 'invariant', doc });
  const text = formatItf(itf);

  it('records model, design, constants, property and the failing step in #meta; constants as params', () => {
    const j = JSON.parse(text);
    expect(j['#meta']).toMatchObject({
      format: 'ITF', model: 'bench', design: 'flip-on-ioctl', constants: { files: 2, procs: 2 },
      property: 'NoMixedMappings', propertyKind: 'invariant', violatingStep: 5,
    });
    expect(j.params).toEqual(['files', 'procs']);
    expect(j.states[0].files).toEqual({ '#bigint': '2' });
    expect(j.vars).toEqual(['pflag', 'cached', 'sdax', 'dontcache', 'pages', 'daxmap', 'open', 'vma', ACTION_VAR, PICKS_VAR]);
  });

  it('writes functions over files and processes as ITF maps, and each step\'s action as Quint\'s mbt:: variables', () => {
    const s4 = JSON.parse(text).states[4];
    expect(s4.sdax).toEqual({ '#map': [['f1', true], ['f2', false]] });
    expect(s4.vma['#map'][0]).toEqual(['p1', { '#map': [['f1', 'PC'], ['f2', 'NONE']] }]);
    expect(s4[ACTION_VAR]).toBe('SetFlag');
    expect(s4[PICKS_VAR]).toEqual({ p: { tag: 'Some', value: 'p1' }, f: { tag: 'Some', value: 'f1' }, v: { tag: 'Some', value: true } });
    expect(s4['#meta']).toEqual({ index: 4, label: 'SetFlag(p1, f1, true)' });
  });

  it('round trip: write, read and decode give back the engine\'s trace', () => {
    const saved = readSavedTrace(text, 'x.itf.json');
    expect(saved.meta).toMatchObject({ model: 'bench', design: 'flip-on-ioctl', constants: { files: 2, procs: 2 }, violatingStep: 5 });
    const back = decodeTrace(saved, cm);
    expect(back.steps.map((s) => s.state)).toEqual(trace.steps.map((s) => s.state));
    expect(back.steps.map((s) => [s.action, s.params, s.label])).toEqual(trace.steps.map((s) => [s.action, s.params, s.label]));
  });

  it('reads the other encodings a TLA+ or Quint spec would use for the same variables', () => {
    const j = itfToJson(itf) as { states: Record<string, unknown>[] };
    const s = j.states[4]!;
    s.pflag = [true, false];                                          // a list
    s.sdax = { '#set': ['f1'] };                                      // the set where true
    s.open = { '#set': [{ '#tup': ['p1', 'f1'] }] };                  // a relation
    s.vma = { '#map': [[{ '#tup': [1, 1] }, 'PC'], [{ '#tup': [1, 2] }, 'NONE'], [{ '#tup': [2, 1] }, 'NONE'], [{ '#tup': [2, 2] }, 'NONE']] };
    const back = decodeTrace(fromItf(parseItf(JSON.stringify(j)), 'y'), cm);
    expect(back.steps[4]!.state).toEqual(trace.steps[4]!.state);
  });

  it('a value outside the model\'s domain is refused naming the step and the variable', () => {
    const j = itfToJson(itf) as { states: Record<string, any>[] };
    j.states[3]!.vma['#map'][1][1]['#map'][0][1] = 'HUGE';
    const saved = fromItf(parseItf(JSON.stringify(j)), 'z');
    expect(() => decodeTrace(saved, cm)).toThrow(ItfError);
    expect(() => decodeTrace(saved, cm)).toThrow('step 3, field vma[p2][f1]: expected NONE|DAX|PC, got HUGE');
  });

  it('variables that do not match the model are named', () => {
    const j = itfToJson(itf) as { vars: string[]; states: Record<string, unknown>[] };
    j.vars = j.vars.map((v) => (v === 'pages' ? 'pcPages' : v));
    for (const s of j.states) { s.pcPages = s.pages; delete s.pages; }
    const saved = fromItf(parseItf(JSON.stringify(j)), 'w');
    expect(() => decodeTrace(saved, cm)).toThrow(/step 0: the trace's variables do not match model bench; not in the model: pcPages; missing: pages/);
  });

  it('a parameter outside its domain names the step, the action and the parameter', () => {
    const j = itfToJson(itf) as { states: Record<string, any>[] };
    j.states[2]![PICKS_VAR].f = { tag: 'Some', value: 'f9' };
    const saved = fromItf(parseItf(JSON.stringify(j)), 'v');
    expect(() => decodeTrace(saved, cm)).toThrow('step 2, parameter f of Mmap: expected f1..f2, got f9');
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type ItfTrace, type ItfValue, ItfError, ItfMap, ItfSet, ItfTuple, ItfUnserializable, showItf } from '../../traces/itf.js';
import { parseItf } from '../../traces/itf-read.js';
import { formatItf } from '../../traces/itf-write.js';

const value: fc.Arbitrary<ItfValue> = fc.letrec<{ v: ItfValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.boolean(),
    fc.string(),
    fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.array(tie('v'), { maxLength: 3 }).map((xs) => new ItfTuple(xs)),
    fc.array(tie('v'), { maxLength: 3 }).map((xs) => new ItfSet(xs)),
    fc.array(fc.tuple(tie('v'), tie('v')), { maxLength: 3 }).map((es) => new ItfMap(es)),
    fc.string().map((s) => new ItfUnserializable(s)),
    fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), tie('v'), { maxKeys: 3 }),
  ),
})).v;

describe('ITF values and traces', () => {
  it('every value survives a write/read round trip', () => {
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 4 }), fc.option(fc.nat(3), { nil: undefined }), (xs, loop) => {
      const t: ItfTrace = {
        meta: { source: 'test' },
        params: ['N'],
        vars: ['x'],
        states: xs.map((x, i) => ({ meta: { index: i }, values: i === 0 ? { N: 3n, x } : { x } })),
        ...(loop !== undefined && loop < xs.length ? { loop } : {}),
      };
      const back = parseItf(formatItf(t));
      expect(back).toEqual(t);
    }), { numRuns: 300 });
  });

  it('writes integers as #bigint, and reads plain JSON integers too', () => {
    const text = formatItf({ meta: {}, params: [], vars: ['n'], states: [{ meta: {}, values: { n: 7n } }] });
    expect(text).toContain('"n":{"#bigint":"7"}');
    const t = parseItf('{"vars":["n"],"states":[{"n":7},{"n":{"#bigint":"-123456789012345678901234"}}]}');
    expect(t.states[0]!.values.n).toBe(7n);
    expect(t.states[1]!.values.n).toBe(-123456789012345678901234n);
  });

  it('prints values the TLA+ way', () => {
    expect(showItf(new ItfMap([['f1', new ItfSet([1n, 2n])], ['f2', new ItfTuple([true, 'a'])]]))).toBe('(f1 :> {1, 2} @@ f2 :> <<true, a>>)');
    expect(showItf({ a: 1n, b: [false] })).toBe('[a |-> 1, b |-> [false]]');
  });

  const bad = (text: string) => { try { parseItf(text, 'bad.itf.json'); } catch (e) { return e as Error; } throw new Error('parsed'); };

  it('a malformed trace is refused with the step and the field named', () => {
    const missing = bad('{"vars":["x","y"],"states":[{"x":true,"y":true},{"x":false}]}');
    expect(missing).toBeInstanceOf(ItfError);
    expect(missing.message).toBe('bad.itf.json: step 1, field y: missing (every state sets every variable of "vars")');
    expect(bad('{"vars":["x"],"states":[{"x":true},{"x":{"#bigint":"12a"}}]}').message)
      .toContain('step 1, field x: #bigint takes a string of digits like "-12", got "12a"');
    expect(bad('{"vars":["x"],"states":[{"x":{"#map":[["f1",true],["f2"]]}}]}').message)
      .toContain('step 0, field x#map[1]: expected a [key, value] pair, got ["f2"]');
    expect(bad('{"vars":["x"],"states":[{"x":{"#bag":[]}}]}').message).toContain('step 0, field x: unknown ITF tag #bag');
    expect(bad('{"vars":["x"],"states":[{"x":1},{"x":2,"z":3}]}').message).toContain('step 1, field z: not a variable of "vars" (x)');
    expect(bad('{"vars":["x"],"states":[{"x":1}],"loop":4}').message).toContain('"loop" must be a state index in 0..0, got 4');
    expect(bad('{"vars":["x"],"states":[{"x":1.5}]}').message).toContain('step 0, field x: 1.5 is not an integer');
    expect(bad('{"states":[]}').message).toContain('"vars" must be a list of names');
    expect(bad('not json').message).toMatch(/^bad\.itf\.json: not JSON/);
    expect(bad('{"vars":["x"],"params":["N"],"states":[{"x":1}]}').message).toContain('step 0, parameter N: missing');
  });
});

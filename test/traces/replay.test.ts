import { describe, expect, it } from 'vitest';
import { compile, findInstance } from '../../checker/compile.js';
import { replayInstances } from '../../checker/trace.js';
import { bool, int, record } from '../../checker/domain.js';
import { defineModel, type DesignInfo } from '../../checker/model.js';
import { check } from '../../checker/search.js';
import { modelNamed } from '../../cli/registry.js';
import { ACTION_VAR, PICKS_VAR, decodeTrace, fromItf, readSavedTrace } from '../../traces/codec.js';
import { encodeTrace } from '../../traces/encode.js';
import { parseItf } from '../../traces/itf-read.js';
import { formatItf, itfToJson } from '../../traces/itf-write.js';
import { compileFor, replay, replayExitCode } from '../../traces/replay.js';
import { formatReplay } from '../../traces/replay-text.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTrace } from '../../traces/load.js';
import { counterexample, examplesDir } from '../../testkit/traces.js';

describe('replay', () => {
  const { cm, trace, property, doc } = counterexample('bench', 'flip-on-ioctl');
  const text = formatItf(encodeTrace(trace, cm, { name: property, kind: 'invariant', doc }));
  const saved = readSavedTrace(text, 'flip.itf.json');
  const bench = modelNamed('bench');

  it('reproduces under the design it was recorded with', () => {
    const r = replay(compileFor(bench, saved, {}), saved);
    expect(r.design).toBe('flip-on-ioctl');
    expect(r.verdict).toBe('reproduces');
    expect(r.stateDivergence).toBeUndefined();
    expect(r.refusal).toBeUndefined();
    expect(r.events).toEqual([{ property: 'NoMixedMappings', kind: 'invariant', status: 'fails', step: 5, doc }]);
    expect(replayExitCode(r)).toBe(0);
  });

  it('under the fix: SetFlag no longer flips S_DAX (step 4), and the second fault is refused by its guard (step 5)', () => {
    const r = replay(compileFor(bench, saved, { design: 'instantiate-only' }), saved);
    expect(r.verdict).toBe('diverges');
    expect(replayExitCode(r)).toBe(1);
    expect(r.stateDivergence).toEqual({
      step: 4, label: 'SetFlag(p1, f1, true)',
      diffs: [
        { variable: 'sdax[f1]', recorded: true, replayed: false },
        { variable: 'dontcache[f1]', recorded: false, replayed: true },
      ],
    });
    expect(r.refusal).toMatchObject({ step: 5, reason: 'guard', action: 'Fault', label: 'Fault(p1, f1)' });
    expect(r.refusal!.guardSource).toContain('s.pages[f] === 0');
    expect(r.refusal!.reads).toEqual([{ variable: 'pages[f1]', value: true }, { variable: 'vma[p1][f1]', value: 'PC' }]);
    expect(r.events).toEqual([]);
    const text = formatReplay(r, { color: false });
    expect(text).toContain('REFUSED: Fault is not enabled under design instantiate-only');
    expect(text).toContain('the guard read: pages[f1] = true, vma[p1][f1] = PC');
    expect(text).toContain('sdax[f1]: recorded true, replayed false');
    expect(text).toMatch(/Diverges under design instantiate-only: step 4 .* step 5 \(Fault\(p1, f1\)\) is then refused; NoMixedMappings does not fail/);
  });

  it('a recorded state that the model does not produce is a divergence naming the variables', () => {
    const j = itfToJson(parseItf(text)) as { states: Record<string, any>[] };
    j.states[2]!.vma['#map'][0][1]['#map'][0][1] = 'DAX';
    const r = replay(cm, fromItf(parseItf(JSON.stringify(j)), 't'));
    expect(r.stateDivergence).toEqual({ step: 2, label: 'Mmap(p1, f1)', diffs: [{ variable: 'vma[p1][f1]', recorded: 'DAX', replayed: 'PC' }] });
    expect(r.verdict).toBe('diverges');
  });

  it('an action the design does not have stops the replay there', () => {
    const j = itfToJson(parseItf(text)) as { states: Record<string, any>[] };
    j.states[3]![ACTION_VAR] = 'Truncate';
    const r = replay(cm, fromItf(parseItf(JSON.stringify(j)), 't'));
    expect(r.refusal).toMatchObject({ step: 3, reason: 'no-such-action', action: 'Truncate' });
    expect(r.refusal!.known).toContain('Fault');
    expect(r.trace.steps).toHaveLength(3);
  });

  it('a trace that does not record its actions (a plain TLA+ trace) replays by finding them', () => {
    const j = itfToJson(parseItf(text)) as { vars: string[]; states: Record<string, unknown>[]; '#meta': Record<string, unknown> };
    j.vars = j.vars.filter((v) => !v.startsWith('mbt::'));
    for (const s of j.states) { delete s[ACTION_VAR]; delete s[PICKS_VAR]; delete (s['#meta'] as Record<string, unknown>).label; }
    const r = replay(cm, fromItf(parseItf(JSON.stringify(j)), 'plain'));
    expect(r.verdict).toBe('reproduces');
    expect(r.trace.steps.map((s) => s.label)).toEqual(trace.steps.map((s) => s.label));
  });

  it('recorded constants are used, and can be overridden (then the trace no longer fits)', () => {
    const c = compileFor(bench, saved, { constants: { files: '1' } });
    expect(c.constants).toEqual({ files: 1, procs: 2 });
    expect(() => replay(c, saved)).toThrow("step 0, field pflag: key f2 is not in f1..f1");
  });

  it('a design the model does not have is bad input naming the designs', () => {
    expect(() => compileFor(bench, saved, { design: 'nope' })).toThrow(/model bench has no design 'nope'; its designs are: instantiate-only, flip-on-ioctl/);
    const other = compile(bench, 'instantiate-only');
    expect(other.design).toBe('instantiate-only');
  });
});

describe('replay names the guard that refused a step in the model\'s words', () => {
  // A tiny model: a counter whose strict design stops one step earlier.
  const schema = record({ n: int(0, 3) });
  const model = defineModel({
    name: 'counter', summary: 'test', constants: {}, defaultDesign: 'loose',
    build: (_c, d) => ({
      schema,
      init: { params: {}, effect: () => {} },
      actions: {
        Inc: d.strict
          ? { params: {}, guard: (s: any) => s.n < 1, guardDoc: '-EBUSY once the counter is 1', effect: (s: any) => { s.n++; }, source: 'test' }
          : { params: {}, guard: (s: any) => s.n < 3, guardDoc: 'the counter stops at 3', effect: (s: any) => { s.n++; }, source: 'test' },
      },
      properties: { Small: { kind: 'invariant' as const, holds: (s: any) => s.n < 2, doc: 'n stays below 2' } },
      checkDeadlock: false,
    }),
    designs: {
      loose: { summary: 'stops at 3' },
      strict: { summary: 'stops at 1', strict: true },
    } as Record<string, DesignInfo & { strict?: boolean }>,
  });

  it('reports guardDoc, the action source and what the guard read', () => {
    const cm = compile(model, 'loose');
    const p = check(cm, {}).properties[0]!;
    const saved = readSavedTrace(formatItf(encodeTrace(p.trace!, cm, { name: p.name, kind: 'invariant' })), 'counter.itf.json');
    const r = replay(compileFor(model, saved, { design: 'strict' }), saved);
    expect(r.refusal).toMatchObject({ step: 2, reason: 'guard', guardDoc: '-EBUSY once the counter is 1', actionSource: 'test', reads: [{ variable: 'n', value: 1 }] });
    expect(formatReplay(r, { color: false })).toContain('guard: -EBUSY once the counter is 1');
  });
});

describe('replay of a lasso (ITF loop)', () => {
  const cm = compile(modelNamed('bench'), 'instantiate-only');
  const inst = (a: string, p: Record<string, unknown>) => findInstance(cm, a, p)!;
  const lasso = (path: ReturnType<typeof inst>[], loop: number) => {
    const trace = { steps: replayInstances(cm, cm.inits[0]!, path), variables: cm.layout.slotNames, loopIndex: loop };
    const text = formatItf(encodeTrace(trace, cm));
    expect(JSON.parse(text).loop).toBe(loop);
    return readSavedTrace(text, 'lasso.itf.json');
  };

  it('checks that the last state leads back to the loop state', () => {
    const r = replay(cm, lasso([inst('Open', { p: 'p1', f: 'f1' }), inst('Close', { p: 'p1', f: 'f1' })], 1));
    expect(r.loopClosedBy).toBe('Open(p1, f1)');
    expect(r.refusal).toBeUndefined();
    expect(formatReplay(r, { color: false })).toContain('the loop closes: Open(p1, f1) leads back to step 1');
  });

  it('a loop that does not close is a divergence', () => {
    const r = replay(cm, lasso([inst('Open', { p: 'p1', f: 'f1' }), inst('Mmap', { p: 'p1', f: 'f1' })], 0));
    expect(r.refusal).toMatchObject({ step: 3, reason: 'loop-does-not-close' });
    expect(r.verdict).toBe('diverges');
  });
});

describe('replay when a design gives an action other parameters', () => {
  const schema = record({ n: int(0, 3), ro: int(0, 1) });
  const model = defineModel({
    name: 'opens', summary: 'test', constants: {}, defaultDesign: 'rw-only',
    build: (_c, d) => ({
      schema,
      init: { params: {}, effect: () => {} },
      actions: {
        Open: d.readOnlyOpens
          ? {
            params: { ro: bool }, guard: (s: any) => s.n < 3,
            effect: (s: any, { ro }: any) => { s.n++; s.ro = ro; }, label: ({ ro }: any) => (ro ? 'Open(O_RDONLY)' : 'Open(O_RDWR)'),
          }
          : { params: {}, guard: (s: any) => s.n < 3, effect: (s: any) => { s.n++; }, label: () => 'Open(O_RDWR)' },
      },
      properties: { Small: { kind: 'invariant' as const, holds: (s: any) => s.n < 2 } },
      checkDeadlock: false,
    }),
    designs: {
      'rw-only': { summary: 'every open is read-write' },
      'with-ro': { summary: 'O_RDONLY opens too', readOnlyOpens: true },
    } as Record<string, DesignInfo & { readOnlyOpens?: boolean }>,
  });
  const record_ = (design: string) => {
    const cm = compile(model, design);
    const p = check(cm, {}).properties[0]!;
    return readSavedTrace(formatItf(encodeTrace(p.trace!, cm, { name: p.name, kind: 'invariant' })), `${design}.itf.json`);
  };

  it('the same label is the same operation: an O_RDWR open replays under a design that also has O_RDONLY opens, and back', () => {
    const there = replay(compileFor(model, record_('rw-only'), { design: 'with-ro' }), record_('rw-only'));
    expect(there.verdict).toBe('reproduces');
    const back = replay(compileFor(model, record_('with-ro'), { design: 'rw-only' }), record_('with-ro'));
    expect(back.verdict).toBe('reproduces');
  });

  it('an operation the design cannot express is a divergence, not bad input', () => {
    const saved = record_('with-ro');
    const text = formatItf(encodeTrace(decodeTrace(saved, compile(model, 'with-ro')), compile(model, 'with-ro')))
      .replace('"label":"Open(O_RDWR)"},"n":{"#bigint":"1"}', '"label":"Open(O_RDONLY)"},"n":{"#bigint":"1"}');
    const edited = readSavedTrace(text.replace(/"ro":\{"tag":"Some","value":false\}/, '"ro":{"tag":"Some","value":true}'), 'ro.itf.json');
    const r = replay(compileFor(model, edited, { design: 'rw-only' }), edited);
    expect(r.refusal).toMatchObject({ step: 1, reason: 'parameters-differ', action: 'Open' });
    expect(r.refusal!.detail).toContain("parameter ro of Open: no such parameter in design rw-only (its Open takes none; the trace gives ro)");
    expect(formatReplay(r, { color: false })).toContain('REFUSED: design rw-only has no Open like this one');
  });
});

describe('replay when the design takes a step differently', () => {
  it('virtiofs: under dontcache-at-ioctl the close evicts and the next open re-reads the inode in the new mode', () => {
    const saved = loadTrace(join(examplesDir, 'dax.virtiofs-v6.NewModeAfterLastClose.itf.json'));
    const r = replay(compileFor(modelNamed('dax'), saved, { design: 'virtiofs-dontcache-at-ioctl' }), saved);
    // The ioctl marks the inode here (a different state at step 2); the replay goes on from it, and the
    // same close and open happen as this design takes them, read from the states.
    expect(r.stateDivergence?.step).toBe(2);
    expect(r.stateDivergence?.label).toBe('SetFlag(FS_XFLAG_DAX=1) p1 f1 → FUSE_IOCTL');
    expect(r.trace.steps.map((s) => s.label).slice(3)).toEqual(['Close p1 f1 → Evict f1', 'Lookup(FUSE_ATTR_DAX=1) → fuse_iget; Open(O_RDWR) p1 f1']);
    expect(saved.steps.map((s) => s.label).slice(3)).toEqual(['Close p1 f1', 'Open(O_RDWR) p1 f1']);
    expect(r.refusal).toBeUndefined();
    expect(r.events.find((e) => e.property === 'NewModeAfterLastClose')).toBeUndefined();
    expect(r.verdict).toBe('diverges');
    const text = formatReplay(r, { color: false });
    expect(text).toContain('step 2 (SetFlag(FS_XFLAG_DAX=1) p1 f1 → FUSE_IOCTL) gives a different state (iDontcache[f1], dDontcache[f1])');
    expect(text).toContain('Close p1 f1 → Evict f1');
    expect(text).toContain('NewModeAfterLastClose does not fail in the replay');
  });

  it('an operation refused outright lists what the design would do instead', () => {
    const saved = loadTrace(join(examplesDir, 'bench.flip-on-ioctl.NoMixedMappings.itf.json'));
    const r = replay(compileFor(modelNamed('bench'), saved, { design: 'instantiate-only' }), saved);
    expect(r.refusal?.alternatives).toBeUndefined();
  });
});

describe('a trace in Quint\'s own style replays', () => {
  it('init as "init", picks unwrapped or None, constants as plain JSON integers, functions as lists', () => {
    const saved0 = loadTrace(join(examplesDir, 'bench.flip-on-ioctl.NoMixedMappings.itf.json'));
    const j = itfToJson(parseItf(readFileSync(join(examplesDir, 'bench.flip-on-ioctl.NoMixedMappings.itf.json'), 'utf8'))) as any;
    delete j['#meta'].design;
    j.params = ['files', 'procs'];
    const s0 = j.states[0];
    s0.files = 2; s0.procs = 2;
    s0[ACTION_VAR] = 'init';
    s0[PICKS_VAR] = { p: { tag: 'None', value: { '#tup': [] } } };
    for (const s of j.states) {
      s.pflag = s.pflag['#map'].map((kv: unknown[]) => kv[1]);
      delete s['#meta'].label;
      for (const [k, v] of Object.entries(s[PICKS_VAR] as Record<string, any>)) if (v.tag === 'Some') s[PICKS_VAR][k] = v.value;
    }
    const saved = fromItf(parseItf(JSON.stringify(j)), 'quint.itf.json');
    expect(saved.meta.constants).toEqual({ files: 2, procs: 2 });
    const r = replay(compileFor(modelNamed('bench'), saved, { design: 'flip-on-ioctl' }), saved);
    expect(r.verdict).toBe('reproduces');
    expect(r.trace.steps.map((s) => s.label)).toEqual(saved0.steps.map((s) => s.label));
  });
});

describe('a trace recorded when outcomes were parameters still replays', () => {
  // Recorded before walk, attr, dax and evicts (dax) and the result slots (passthrough) became
  // what a label reads from the states, and with one Init parameter per file (xflagDax_f1).
  const fixtures = new URL('./fixtures/', import.meta.url).pathname;
  for (const name of [
    'dax.virtiofs-v6.NewModeAfterLastClose', 'dax.set-only-on-empty-file.SDaxStableWhileInUse',
    'passthrough.landed.NoPageCacheUserWithPassthrough',
  ]) {
    it(`${name}: every step is found by its label, and the violation reproduces at the same step`, () => {
      const saved = loadTrace(join(fixtures, `before-outcome-labels.${name}.itf.json`));
      expect(saved.steps.some((s) => Object.keys(s.params ?? {}).some((k) => ['walk', 'evicts', 'xflagDax_f1', 'v'].includes(k)))).toBe(true);
      // Recorded before the lock cut too: a dax ioctl was one step then, as it is under cut=atomic.
      const constants = saved.meta.model === 'dax' ? { cut: 'atomic' } : {};
      const r = replay(compileFor(modelNamed(saved.meta.model!), saved, { constants }), saved);
      expect(r.verdict).toBe('reproduces');
      expect(r.trace.steps.map((s) => s.label)).toEqual(saved.steps.map((s) => s.label));
      expect(r.events.find((e) => e.property === saved.meta.property)?.step).toBe(saved.meta.violatingStep);
    });
  }
});

// A model's presentation (checker/presentation.ts) against the model itself:
// every action has its words and C, nothing is mapped that no design has, and
// the words of recorded steps say what the recorded states show, computed here
// from the ITF files without the presentation's code.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../checker/errors.js';
import { describe, expect, it } from 'vitest';
import { type CompiledModel, compile } from '../../checker/compile.js';
import type { ConstantDecl, ModelDef } from '../../checker/model.js';
import type { TraceStep } from '../../checker/result.js';
import { replayInstances } from '../../checker/trace.js';
import { models } from '../../spec/index.js';
import { decodeTrace } from '../../traces/codec.js';
import { indexSets } from '../../traces/index-sets.js';
import { loadTrace } from '../../traces/load.js';
import { compileFor } from '../../traces/replay.js';
import { kernelWords } from '../../traces/words.js';
import { reproC } from '../../traces/repro-c.js';
import { daxcheck } from '../../testkit/cli.js';
import { examplesDir } from '../../testkit/traces.js';
import { Stepper } from '../../testkit/steps.js';

/** A walk of up to `steps` enabled steps from a random initial state, the same for the same seed. */
function randomWalk(cm: CompiledModel, seed: number, steps: number): TraceStep[] {
  const stepper = new Stepper(cm);
  let x = seed * 2654435761 + 1;
  const pick = (n: number) => { x = (x * 1103515245 + 12345) % 2147483648; return x % n; };
  const init = cm.inits[pick(cm.inits.length)]!;
  let state = stepper.initial(init);
  const path = [];
  for (let k = 0; k < steps; k++) {
    const enabled = stepper.enabled(state);
    if (enabled.length === 0) break;
    const step = enabled[pick(enabled.length)]!;
    state = step.after;
    path.push(step.inst);
  }
  return replayInstances(cm, init, path);
}

const presented = Object.entries(models).filter(([, m]) => m.presentation !== undefined);

/** Every action of every design; some exist only under some constants (virtiofs's Timeout needs cache=auto, the tree's Create dirs >= 1), so every value of each enum constant and the largest of each int constant are tried. */
function everyAction(model: ModelDef<any, any>): { actions: Set<string>; schemas: ReturnType<typeof compile>['layout']['schema'][] } {
  const actions = new Set<string>();
  const schemas = [];
  const variants: Record<string, string>[] = [{}];
  for (const [k, c] of Object.entries(model.constants as Record<string, ConstantDecl>)) {
    if (c.kind === 'enum') for (const v of c.values) variants.push({ [k]: v });
    else if (c.kind === 'int' && c.hi !== c.default) variants.push({ [k]: String(c.hi) });
  }
  for (const d of Object.keys(model.designs)) {
    for (const v of variants) {
      // A value that needs another constant with it (dax unfit=inline-data needs fs=ext4) is exit 2 alone: skipped.
      let cm: ReturnType<typeof compile>;
      try { cm = compile(model, d, v); } catch (e) { if (e instanceof UsageError) continue; throw e; }
      for (const a of cm.actionNames) actions.add(a);
      schemas.push(cm.layout.schema);
    }
  }
  return { actions, schemas };
}

describe('presentations and their models agree', () => {
  for (const [name, model] of presented) {
    it(`${name}: every action has kernel words and (with a C part) C, and every entry names a real action`, () => {
      const p = model.presentation!;
      const { actions, schemas } = everyAction(model);
      expect([...actions].filter((a) => !(a in p.words)), 'actions with no words').toEqual([]);
      expect(Object.keys(p.words).filter((a) => !actions.has(a)), 'words of no action').toEqual([]);
      if (p.c) {
        expect([...actions].filter((a) => !(a in p.c!.steps)), 'actions with no C').toEqual([]);
        expect(Object.keys(p.c.steps).filter((a) => !actions.has(a)), 'C of no action').toEqual([]);
      }
      // The index sets it names are the schema's, in every design.
      for (const schema of schemas) {
        const sets = indexSets(schema);
        for (const set of [p.lanes, p.c?.files, p.c?.processes]) if (set !== undefined) expect(sets.has(set), `index set ${set}`).toBe(true);
      }
    });
  }
});

describe('the kernel words of recorded steps', () => {
  const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.itf.json'));
  const decoded = (file: string) => {
    const saved = loadTrace(join(examplesDir, file));
    const model = models[saved.meta.model!]!;
    return { model, trace: decodeTrace(saved, compileFor(model, saved, {})) };
  };

  it('every step of every recorded example has words', () => {
    for (const file of examples) {
      const { model, trace } = decoded(file);
      for (let i = 1; i < trace.steps.length; i++) expect(kernelWords(model.presentation, trace, i), `${file} step ${i}`).toBeDefined();
    }
  });

  /** The raw ITF states of an example: maps as {key: value}, so the expectations below read the file, not the model's decoder. */
  const raw = (file: string) => {
    const json = JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as { states: Record<string, unknown>[] };
    const plain = (v: unknown): unknown => {
      if (v && typeof v === 'object' && '#map' in v) return Object.fromEntries((v as { '#map': [string, unknown][] })['#map'].map(([k, x]) => [k, plain(x)]));
      if (Array.isArray(v)) return v.map(plain);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
      return v;
    };
    return json.states.map((s) => plain(s) as Record<string, any>);
  };

  it('dax, random walks: a step says the inode is evicted exactly when its label does, and statx reports the label\'s STATX_ATTR_DAX', () => {
    const count = { evictions: 0, kept: 0, statx: 0 };
    for (const [design, constants] of [['instantiate-only', {}], ['virtiofs-v6', { cache: 'none' }], ['virtiofs-v6', { cache: 'auto' }], ['flip-on-ioctl', { procs: 1 }]] as const) {
      const cm = compile(models.dax!, design, constants);
      for (let walk = 0; walk < 40; walk++) {
        const trace = { steps: randomWalk(cm, walk, 12), variables: cm.layout.slotNames };
        trace.steps.forEach((s, i) => {
          if (i === 0) return;
          const words = kernelWords(models.dax!.presentation, trace, i)!;
          if (s.action === 'Statx') {
            count.statx++;
            expect(words, s.label).toContain(/STATX_ATTR_DAX=[01]/.exec(s.label)![0]);
          }
          if (!['Close', 'Munmap', 'Statx'].includes(s.action)) return;
          const evicts = s.label.endsWith(`→ Evict ${s.params.f}`);
          count[evicts ? 'evictions' : 'kept']++;
          expect(words.endsWith(`${s.params.f}'s inode is evicted`), `${design} ${JSON.stringify(constants)}: ${s.label} / ${words}`).toBe(evicts);
        });
      }
    }
    expect(count.evictions).toBeGreaterThan(10);
    expect(count.kept).toBeGreaterThan(10);
    expect(count.statx).toBeGreaterThan(10);
  });

  it('passthrough: an open names the struct file it created, a fork the child, a refused call its errno', () => {
    const seen = new Set<string>();
    for (const file of examples.filter((f) => f.startsWith('passthrough.'))) {
      const { model, trace } = decoded(file);
      const states = raw(file);
      trace.steps.forEach((s, i) => {
        if (i === 0) return;
        const words = kernelWords(model.presentation, trace, i)!;
        const [before, after] = [states[i - 1]!, states[i]!];
        seen.add(s.action);
        if (s.action === 'Open') {
          const created = Object.keys(after.file).filter((k) => before.file[k].kind === 'free' && after.file[k].kind !== 'free');
          expect(created).toHaveLength(1);
          expect(words).toBe(`${s.params.p}: fd = open(the file); the server replies ${s.params.flags === 'FOPEN_PASSTHROUGH'
            ? `open_flags=FOPEN_PASSTHROUGH, backing_id=${s.params.backing}` : s.params.flags === 'caching'
              ? 'open_flags without FOPEN_DIRECT_IO or FOPEN_PASSTHROUGH' : `open_flags=${s.params.flags}`}: a new struct file, ${created[0]}`);
        }
        if (s.action === 'Fork') {
          const child = Object.keys(after.alive).filter((k) => !before.alive[k] && after.alive[k]);
          expect(words).toBe(`${s.params.p}: fork() -> ${child[0]}`);
        }
        if (s.action === 'VmaClose') {
          const v = before.vma[s.params.v as string];
          expect(words.startsWith(`${v.proc}: munmap(${s.params.v}`)).toBe(true);
        }
      });
    }
    expect([...seen]).toEqual(expect.arrayContaining(['Open', 'Fork', 'VmaClose', 'Mmap']));
  });

  it('bench: the recorded flip-on-ioctl counterexample, step by step', () => {
    const { model, trace } = decoded('bench.flip-on-ioctl.NoMixedMappings.itf.json');
    expect(trace.steps.slice(1).map((_, k) => kernelWords(model.presentation, trace, k + 1))).toEqual([
      'p1: fd = open("f1", O_RDWR)',
      'p1: mmap(fd of f1, PROT_READ|PROT_WRITE, MAP_SHARED)',
      'p1: page fault: load from f1\'s mapping',
      'p1: ioctl(fd of f1, FS_IOC_FSSETXATTR, set FS_XFLAG_DAX)',
      'p1: page fault: load from f1\'s mapping',
    ]);
  });
});

describe('repro --lang c of a passthrough trace, and a model with no C part', () => {
  it('passthrough: a program with its own FUSE server, answering each OPEN as the step says', () => {
    const trace = join(examplesDir, 'passthrough.landed.NoPageCacheUserWithPassthrough.itf.json');
    const r = daxcheck('repro', trace, '--lang', 'c');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('open_file(P(0), F(0), REPLY_DIRECT_IO, 1);');
    expect(r.stdout).toContain('mmap_file(P(0), F(0), MAP_KIND_PRIVATE, 0, 0);');
    expect(r.stdout).toContain('open_file(P(0), F(1), REPLY_PASSTHROUGH, 1);');
    expect(r.stdout).toContain('FUSE_DEV_IOC_BACKING_OPEN');
  });

  it('a model whose presentation gives no C part: exit 2 naming it', () => {
    const saved = loadTrace(join(examplesDir, 'passthrough.landed.NoPageCacheUserWithPassthrough.itf.json'));
    const model = models.passthrough!;
    const trace = decodeTrace(saved, compileFor(model, saved, {}));
    const { c: _c, ...withoutC } = model.presentation!;
    const cm = compile(model, 'landed', {});
    expect(() => reproC(trace, { saved: { source: 'x', meta: {}, vars: [], steps: [] }, model: 'passthrough', design: 'landed', constants: cm.constants, schema: cm.layout.schema, presentation: withoutC }))
      .toThrow('model passthrough has no C reproducer: its definition gives no C part (ModelDef.presentation.c)');
  });
});

describe('check, show and replay print a trace alike', () => {
  const stepLines = (text: string) => text.split('\n').filter((l) => /^ {0,2}\d+\. /.test(l));

  it('check prints the kernel words show prints, for the counterexample it records', () => {
    for (const [name, design, property] of [['bench', 'flip-on-ioctl', 'NoMixedMappings'], ['passthrough', 'landed', 'NoPageCacheUserWithPassthrough']] as const) {
      const checked = daxcheck('check', name, '--design', design);
      expect(checked.code).toBe(1);
      const shown = daxcheck('show', join(examplesDir, `${name}.${design}.${property}.itf.json`));
      const replayed = daxcheck('replay', join(examplesDir, `${name}.${design}.${property}.itf.json`));
      const lines = stepLines(shown.stdout);
      expect(lines.length).toBeGreaterThan(2);
      // Every step after the initial state has words beside its label.
      for (const l of lines.slice(1)) expect(l, l).toMatch(/\S {3}\S/);
      expect(stepLines(checked.stdout)).toEqual(lines);
      expect(stepLines(replayed.stdout)).toEqual(lines);
    }
  });
});

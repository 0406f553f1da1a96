// A conformance run: the traces (random walks plus the recorded examples the
// design fixes), each turned into a C program by the model's reproducer, all
// run in one boot of a real kernel on each file system, then each observed
// run validated step by step against the design (validate.ts).

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, type CompiledModel } from '../checker/compile.js';
import { UsageError } from '../checker/errors.js';
import type { ModelDef } from '../checker/model.js';
import type { Trace } from '../checker/result.js';
import { decodeTrace, type SavedTrace } from '../traces/codec.js';
import { encodeTrace } from '../traces/encode.js';
import { formatItf } from '../traces/itf-write.js';
import { loadTrace } from '../traces/load.js';
import { compileFor } from '../traces/replay.js';
import { reproC } from '../traces/repro-c.js';
import { bootUntilDone, type BootAttempt, type BootDeath, type RunId } from './boots.js';
import { parseBoot, runKey, type BootOutput } from './parse.js';
import { validateRun, type Disagreement, type RunVerdict } from './validate.js';
import { boot, buildPrograms, prepareMachine, type Machine } from './vm.js';
import { walks, type WalkChoice } from './walks.js';

export interface ConformOptions {
  readonly design: string;
  readonly fs: readonly string[];
  readonly traces: number;
  readonly depth: number;
  readonly seed: number;
  /** How walks choose their steps (default coverage-guided). */
  readonly walks?: WalkChoice;
  readonly constants: Readonly<Record<string, string>>;
  /** Include the recorded examples the design fixes (traces/examples, fixes.json). */
  readonly examples: boolean;
  /** Run exactly these saved traces (ITF) instead of walks and examples. */
  readonly traceFiles?: readonly string[];
  /** Keep the programs, their output and the kernel console here. */
  readonly out?: string;
  readonly log: (line: string) => void;
}

/** One trace to run: the program, and the model it is judged against. */
export interface Case {
  readonly name: string;
  readonly trace: Trace;
  readonly judgedBy: CompiledModel;
  readonly saved: SavedTrace;
  /** Where it came from: `walk 3 of seed 1`, or the example's file. */
  readonly origin: string;
  /** A recorded counterexample: its own (historical) design, and the step where replay under the fix diverges (fixes.json). */
  readonly own?: { readonly cm: CompiledModel; readonly divergesAt: number };
}

/** How a recorded counterexample's own design fared on the kernel: where it parts from what the kernel did. */
export interface HistoricalVerdict {
  readonly trace: string;
  readonly origin: string;
  readonly design: string;
  /** The step at which the kernel's observations leave the historical design (undefined: they never do). */
  readonly partsAt?: number;
  readonly divergesAt: number;
}

export interface FsReport {
  readonly fs: string;
  readonly traces: number;
  readonly steps: number;
  readonly agreed: number;
  readonly observations: number;
  readonly seconds: number;
  readonly disagreements: readonly (Disagreement & { readonly trace: string; readonly origin: string })[];
  readonly historical: readonly HistoricalVerdict[];
  /** Traces no boot finished because the boots ran out (boots.ts): neither agreed nor disagreed. */
  readonly notRun: number;
}

export interface ConformReport {
  readonly model: string;
  readonly design: string;
  readonly kernel: string;
  readonly kernelPackage: string;
  readonly mounts: readonly string[];
  readonly boots: number;
  readonly bootSeconds: number;
  /** Boots that ended before their end; each later boot ran what they left. */
  readonly deaths: readonly BootDeath[];
  /** Runs left out after two boots died under them (each is also a disagreement). */
  readonly killedKernel: readonly RunId[];
  /** Runs no boot finished (the boots ran out): the run is incomplete. */
  readonly notRun: readonly RunId[];
  readonly buildSeconds: number;
  readonly traces: { readonly walks: number; readonly examples: number; readonly given: number };
  /** How the walks chose, and the distinct branches (action and changed state slots) and actions they took. */
  readonly coverage?: { readonly choice: WalkChoice; readonly branches: number; readonly actions: number };
  /** Wall-clock seconds of the whole run (build, boot, judging), for throughput. */
  readonly seconds: number;
  readonly perFs: readonly FsReport[];
}

const examplesDir = () => [new URL('../traces/examples/', import.meta.url), new URL('../../traces/examples/', import.meta.url)]
  .map((u) => u.pathname).find((d) => { try { return readdirSync(d).length > 0; } catch { return false; } })!;

/** The recorded examples of `model` whose fix is `design` and that run to their end under it. */
export function exampleCases(model: ModelDef<any, any>, design: string): Case[] {
  const dir = examplesDir();
  const fixes = JSON.parse(readFileSync(join(dir, 'fixes.json'), 'utf8')) as Record<string, { fixedBy: string | null; refusedAt?: number | null; divergesAt?: number }>;
  return readdirSync(dir).filter((f) => f.startsWith(`${model.name}.`) && f.endsWith('.itf.json'))
    .filter((f) => fixes[f]?.fixedBy === design && fixes[f]?.refusedAt === null)
    .map((f, k) => {
      const saved = loadTrace(join(dir, f));
      const own = compileFor(model, saved, {});
      return { name: `e${k}`, trace: decodeTrace(saved, own), judgedBy: compileFor(model, saved, { design }), saved, origin: f, own: { cm: own, divergesAt: fixes[f]!.divergesAt! } };
    });
}

/** Saved traces given by the user, each judged against `design` from its own initial state. */
export function fileCases(model: ModelDef<any, any>, design: string, files: readonly string[]): Case[] {
  return files.map((file, k) => {
    const saved = loadTrace(file);
    return { name: `t${k}`, trace: decodeTrace(saved, compileFor(model, saved, {})), judgedBy: compileFor(model, saved, { design }), saved, origin: file };
  });
}

export function walkCases(model: ModelDef<any, any>, cm: CompiledModel, n: number, depth: number, seed: number, choice: WalkChoice = 'coverage'): Case[] {
  return walkSet(model, cm, n, depth, seed, choice).cases;
}

function walkSet(model: ModelDef<any, any>, cm: CompiledModel, n: number, depth: number, seed: number, choice: WalkChoice): { cases: Case[]; branches: number; actions: number } {
  const w = walks(cm, model.presentation!, n, depth, seed, choice);
  return { branches: w.branches, actions: w.actions, cases: w.traces.map((trace, k) => ({
    name: `w${k}`, trace, judgedBy: cm, origin: `walk ${k} of seed ${seed}`,
    saved: { source: `walk ${k} of seed ${seed}`, meta: { model: model.name, design: cm.design, constants: cm.constants }, vars: [], steps: [] },
  })) };
}

export function programOf(model: ModelDef<any, any>, c: Case): string {
  const cm = c.judgedBy;
  return reproC(c.trace, { saved: c.saved, model: model.name, design: cm.design, constants: cm.constants, schema: cm.layout.schema, presentation: model.presentation });
}

/** What the boots left: runs no boot finished, and runs two boots died under (boots.ts). */
export interface Unfinished {
  readonly notRun: readonly RunId[];
  readonly killedKernel: readonly RunId[];
}

/**
 * Judges a boot's output (text, or several boots merged) for the cases; pure,
 * so that tests give it canned text.
 */
export function judgeBoot(model: ModelDef<any, any>, cases: readonly Case[], fs: readonly string[], output: string | BootOutput, unfinished: Unfinished = { notRun: [], killedKernel: [] }): { perFs: FsReport[]; kernel?: string; mounts: string[]; errors: string[] } {
  const parsed = typeof output === 'string' ? parseBoot(output) : output;
  const notRunKeys = new Set(unfinished.notRun.map(runKey));
  const killedKeys = new Set(unfinished.killedKernel.map(runKey));
  const perFs = fs.map((name): FsReport => {
    let steps = 0; let agreed = 0; let observations = 0; let notRun = 0;
    const disagreements: FsReport['disagreements'][number][] = [];
    const historical: HistoricalVerdict[] = [];
    for (const c of cases) {
      const key = runKey({ fs: name, trace: c.name });
      if (notRunKeys.has(key)) { notRun++; continue; }
      const run = parsed.runs.find((r) => r.fs === name && r.trace === c.name) ?? { fs: name, trace: c.name, steps: [], done: false, other: parsed.errors.slice() };
      const v: RunVerdict = validateRun(c.judgedBy, model.presentation!, c.trace, run);
      steps += v.steps; agreed += v.agreed; observations += v.observations;
      if (v.disagreement) disagreements.push({ ...v.disagreement, ...(killedKeys.has(key) ? { reason: `${v.disagreement.reason}; two boots died while it ran (the kernel console of each is in the boot lines)` } : {}), trace: c.name, origin: c.origin });
      if (c.own) {
        const h = validateRun(c.own.cm, model.presentation!, c.trace, run).disagreement;
        historical.push({ trace: c.name, origin: c.origin, design: c.own.cm.design, divergesAt: c.own.divergesAt, ...(h ? { partsAt: h.step } : {}) });
      }
    }
    return { fs: name, traces: cases.length, steps, agreed, observations, seconds: parsed.fsSeconds[name] ?? 0, disagreements, historical, notRun };
  });
  return { perFs, ...(parsed.kernel ? { kernel: parsed.kernel } : {}), mounts: parsed.mounts, errors: parsed.errors };
}

/** Boots a run may take: one, and two more for what a dying boot leaves (boots.ts). */
const MAX_BOOTS = 3;

export async function conform(model: ModelDef<any, any>, opts: ConformOptions): Promise<ConformReport> {
  if (!model.presentation?.c?.observations) throw new Error(`model ${model.name} has no observation rules`);
  const started = performance.now();
  const cm = compile(model, opts.design, opts.constants);
  const choice = opts.walks ?? 'coverage';
  const ws = opts.traceFiles ? undefined : walkSet(model, cm, opts.traces, opts.depth, opts.seed, choice);
  const cases = opts.traceFiles ? fileCases(model, opts.design, opts.traceFiles) : [
    ...ws!.cases,
    ...(opts.examples ? exampleCases(model, opts.design) : []),
  ];
  // How the VM makes the file systems for these constants (a device without DAX, unfit files' features).
  const prep = model.presentation.c.machine?.(cm.constants);
  const badFs = opts.fs.filter((f) => prep?.fileSystems && !prep.fileSystems.includes(f));
  if (badFs.length > 0) throw new UsageError(`--fs ${opts.fs.join(',')}: with ${prep!.prep.join(' ')} the run needs --fs ${prep!.fileSystems!.join(',')} (the setting exists only there)`);
  const machine: Machine = prepareMachine(opts.log);
  opts.log(`kernel ${machine.kernel} (${machine.kernelPackage}); ${cases.length} traces on ${opts.fs.join(', ')}`);
  const work = mkdtempSync(join(tmpdir(), 'daxcheck-conform-'));
  const attempts: BootAttempt[] = [];
  try {
    const t0 = performance.now();
    const bin = await buildPrograms(cases.map((c) => ({ name: c.name, source: programOf(model, c) })), work);
    const buildSeconds = (performance.now() - t0) / 1000;
    opts.log(`built ${cases.length} programs in ${buildSeconds.toFixed(1)} s; booting`);
    const runs = opts.fs.flatMap((fs) => cases.map((c) => ({ fs, trace: c.name })));
    const b = await bootUntilDone(async (todo, timeout) => {
      const a = await boot(machine, bin, todo, work, timeout, prep?.prep ?? []);
      attempts.push(a);
      return a;
    }, runs, (todo) => 120 + 5 * todo, MAX_BOOTS, opts.log);
    const judged = judgeBoot(model, cases, opts.fs, b.parsed, b);
    for (const e of judged.errors) opts.log(`vm: ${e}`);
    if (opts.out) saveDisagreements(opts.out, cases, judged.perFs, opts.log);
    return {
      model: model.name, design: cm.design, kernel: judged.kernel ?? machine.kernel, kernelPackage: machine.kernelPackage,
      mounts: judged.mounts, boots: b.boots, bootSeconds: b.seconds, buildSeconds, deaths: b.deaths, killedKernel: b.killedKernel, notRun: b.notRun,
      traces: opts.traceFiles ? { walks: 0, examples: 0, given: cases.length } : { walks: opts.traces, examples: cases.length - opts.traces, given: 0 }, perFs: judged.perFs,
      ...(ws ? { coverage: { choice, branches: ws.branches, actions: ws.actions } } : {}),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    if (opts.out) {
      mkdirSync(opts.out, { recursive: true });
      // Every boot's output, one after another, each under a line naming it.
      const joined = (part: (a: BootAttempt) => string) => attempts.map((a, k) => `${attempts.length > 1 ? `# boot ${k + 1}\n` : ''}${part(a)}`).join('\n');
      if (attempts.length > 0) {
        writeFileSync(join(opts.out, 'programs.log'), joined((a) => a.output));
        writeFileSync(join(opts.out, 'console.log'), joined((a) => a.consoleLog));
      }
      cases.forEach((c, k) => { if (existsSync(join(work, 'src', `t${k}.c`))) copyFileSync(join(work, 'src', `t${k}.c`), join(opts.out!, `${c.name}.c`)); });
    }
    rmSync(work, { recursive: true, force: true });
  }
}

/** Each trace that disagreed, as ITF in `out`, so that it can be run again alone (`--trace FILE`). */
function saveDisagreements(out: string, cases: readonly Case[], perFs: readonly FsReport[], log: (line: string) => void): void {
  mkdirSync(out, { recursive: true });
  for (const f of perFs) {
    for (const d of f.disagreements) {
      const c = cases.find((x) => x.name === d.trace)!;
      const file = join(out, `${f.fs}.${c.name}.itf.json`);
      writeFileSync(file, formatItf(encodeTrace(c.trace, c.judgedBy)));
      log(`${f.fs} ${c.name} disagrees at step ${d.step}; again alone: daxcheck conform ${c.judgedBy.model} --design ${c.judgedBy.design} --fs ${f.fs} --trace ${file}`);
    }
  }
}

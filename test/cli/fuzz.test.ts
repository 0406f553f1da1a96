// The command line under generated input (issue 10): argument vectors for
// every command, and mutated ITF files for the trace commands, run in this
// process through cli/main.ts. Every outcome must be a documented exit code
// (0, 1, 2, 4; 3 is a bug) and, for bad input, one line that names the
// problem: never a stack trace, never a hang. The case counts are printed.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runInProcess, type InProcessRun } from '../../testkit/in-process.js';
import { examplesDir, tempDir } from '../../testkit/traces.js';

const ARG_RUNS = 300;
const ITF_RUNS = 1000;
/** Fixed, so that a run of the suite is repeatable; FUZZ_SEED=n explores further. */
const SEED = Number(process.env.FUZZ_SEED ?? 10);
/** Longer than any case may take: a case that reaches it is a hang. */
const HANG_MS = 30_000;

const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.itf.json')).sort();
const dir = tempDir('fuzz');
mkdirSync(join(dir, 'sub'));
writeFileSync(join(dir, 'plain'), 'x');

/** What every outcome must look like; returns a description of what is wrong, or undefined. */
function judge(r: InProcessRun, documented: readonly number[]): string | undefined {
  if (!documented.includes(r.code)) return `exit ${r.code}, not one of ${documented.join(', ')}`;
  if (/\n\s+at [^\n]*:\d+:\d+/.test(r.stderr) || /daxcheck: internal error/.test(r.stderr)) return 'a stack trace or an internal error';
  if (r.code === 2) {
    // commander's hints after its one-line message: a suggestion, and where usage is
    const lines = r.stderr.trim().split('\n').filter((l) => l !== '(run daxcheck --help for usage)' && !/^\(Did you mean .*\?\)$/.test(l));
    if (lines.length !== 1) return `bad input said in ${lines.length} lines`;
    if (!/^(daxcheck: (model )?error: |error: )\S/.test(lines[0]!)) return `bad input message does not say what is wrong: ${lines[0]}`;
  }
  return undefined;
}

/** How many cases ended with each exit code, to report and to see that the generators reach past the first check. */
const seen: Record<string, Record<number, number>> = { argv: {}, itf: {} };

async function runJudged(args: readonly string[], documented: readonly number[], tally: Record<number, number>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`hang: ${JSON.stringify(args)}`)), HANG_MS); });
  try {
    const r = await Promise.race([runInProcess(args), hang]);
    tally[r.code] = (tally[r.code] ?? 0) + 1;
    const wrong = judge(r, documented);
    if (wrong) throw new Error(`${JSON.stringify(args)}: ${wrong}\nstdout: ${r.stdout.slice(0, 300)}\nstderr: ${r.stderr.slice(0, 600)}`);
  } finally {
    clearTimeout(timer);
  }
}

// ---- argument vectors ------------------------------------------------------

const word = fc.constantFrom('', ' ', 'bench', 'dax', 'passthrough', 'nosuch', 'BENCH', '-', '--', '-x', '..', '/', 'NoMixedMappings',
  'flip-on-ioctl', 'instantiate-only', 'Open', 'files', 'procs', 'files=1', 'files=x', 'files=', '=1', 'files=1=2', 'procs=2', 'a,b', ',', '\u00e9', '\uFEFF');
const number = fc.constantFrom('0', '1', '2', '3', '-1', '1.5', '0.5', '1e9', '1e-9', 'abc', '', 'NaN', 'Infinity', '0x10', ' 2', '2 ', '99999999999999999999', '007');
const value = fc.oneof({ weight: 3, arbitrary: word }, { weight: 3, arbitrary: number }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });
const path = fc.constantFrom(join(dir, 'out'), join(dir, 'sub'), join(dir, 'plain'), join(dir, 'plain', 'x'), join(dir, 'missing', 'x'),
  '/proc/daxcheck', '/sys/daxcheck', '/dev/null', '',
  // a relative path, resolved inside the temporary directory: never the working directory, which is the repository
  join(dir, 'sub', '.'));
const trace = fc.constantFrom(...examples.map((f) => join(examplesDir, f)), join(dir, 'plain'), join(dir, 'missing.itf.json'), dir, '');

/** Mostly names that exist, so that cases get past the first check; the rest anything. */
const mostly = (valid: readonly string[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: value });
const model = mostly(['bench', 'dax', 'passthrough']);
const design = mostly(['flip-on-ioctl', 'instantiate-only', 'ebusy-while-mapped', 'per-mapping', 'virtiofs-v6', 'landed', 'vma-close-refcount']);
const constant = mostly(['files=1', 'files=2', 'procs=1', 'procs=2', 'files=9', 'procs=0']);
const property = mostly(['NoMixedMappings', 'NoMixedMappings,NoMixedMappings']);
const small = mostly(['1', '2', '3']);
const opt = (name: string, v: fc.Arbitrary<string>) => v.map((x) => [name, x]);
const flag = (name: string) => fc.constant([name]);
/** Each command's own options (and one that no command has). */
const common = [opt('--design', design), opt('--const', constant), opt('--const', constant), flag('--json')];
const options: Record<string, fc.Arbitrary<string[]>[]> = {
  check: [...common, opt('--depth', small), opt('--max-seconds', number), opt('--max-memory', number), opt('--progress', number),
    opt('--workers', small), opt('--property', property), flag('--dfs'), flag('--no-deadlock'), flag('--continue'), flag('--witnesses'),
    flag('--no-coverage'), opt('--trace-out', path)],
  matrix: [...common, opt('--max-seconds', number)],
  simulate: [...common, opt('--runs', small), opt('--depth', small), opt('--seed', number), opt('--property', property), flag('--no-deadlock'),
    opt('--trace-out', path)],
  replay: [...common, opt('--model', value)],
  show: [...common, opt('--model', value), opt('--html', path)],
  repro: [opt('--lang', fc.constantFrom('c', 'c', 'c', 'C', 'rust', '')), opt('-o', path), opt('--output', path), opt('--model', value)],
};
/** Some of the command's options; now and then one it does not have. */
const some = (command: string) => fc.array(fc.oneof({ weight: 12, arbitrary: fc.oneof(...options[command]!) }, { weight: 1, arbitrary: flag('--frobnicate') }), { maxLength: 5 })
  .map((xs) => xs.flat());

/** Runs that would search stay short: a time limit first (a later --max-seconds from the fuzz wins, and it is never large). */
const bounded = ['--max-seconds', '2'];
const argv: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(model, some('check')).map(([m, o]) => ['check', m, ...bounded, ...o]),
  fc.tuple(model, some('simulate')).map(([m, o]) => ['simulate', m, '--runs', '50', ...o]),
  fc.tuple(fc.constantFrom('bench', 'nosuch', ''), some('matrix')).map(([m, o]) => ['matrix', m, ...bounded, ...o]),
  ...(['show', 'replay'] as const).map((c) => fc.tuple(trace, some(c)).map(([t, o]) => [c, t, ...o])),
  fc.tuple(trace, some('repro')).map(([t, o]) => ['repro', t, '--lang', 'c', ...o]),
  fc.tuple(fc.constantFrom('models', 'designs', 'help', '--help', '--version', 'nosuch', ''), fc.array(value, { maxLength: 2 })).map(([c, r]) => [c, ...r]),
);

// ---- mutated ITF files -----------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const strange: Json[] = [null, 0, -1, 5, 1.5, 1e300, 2 ** 60, -(2 ** 60), '', 'zz', 'NoSuchName', [], {}, true, [1, 2], { '#bigint': '99999999999999999999999' },
  { '#bigint': 'x' }, { '#tup': [] }, { '#set': [1] }, { '#map': [['zz', 1]] }, { '#map': 5 }, { '#unknown': 1 }, { tag: 'Some', value: 'zz' }, 'x'.repeat(10_000)];

/** Every place in a JSON value: the containers and the keys or indexes in them. */
function places(x: Json, out: [Json[] | Record<string, Json>, string | number][] = []): [Json[] | Record<string, Json>, string | number][] {
  if (Array.isArray(x)) x.forEach((v, i) => { out.push([x, i]); places(v, out); });
  else if (x !== null && typeof x === 'object') for (const [k, v] of Object.entries(x)) { out.push([x, k]); places(v, out); }
  return out;
}

const mutation = fc.record({
  example: fc.nat(examples.length - 1),
  edits: fc.array(fc.record({ at: fc.nat(), op: fc.constantFrom('drop', 'retype', 'rename', 'duplicate', 'flip', 'flip', 'flip'), to: fc.nat(strange.length - 1) }), { minLength: 1, maxLength: 2 }),
  truncate: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }),
  command: fc.constantFrom(['show'], ['replay'], ['replay', '--json'], ['repro', '--lang', 'c'], ['show', '--html', join(dir, 'page.html')]),
});

function mutate(m: typeof mutation extends fc.Arbitrary<infer T> ? T : never): string {
  const t = JSON.parse(readFileSync(join(examplesDir, examples[m.example]!), 'utf8')) as Json;
  for (const e of m.edits) {
    const all = places(t);
    if (all.length === 0) break;
    const [container, key] = all[e.at % all.length]!;
    const c = container as Record<string | number, Json>;
    if (e.op === 'drop') { if (Array.isArray(container)) container.splice(key as number, 1); else delete c[key]; }
    else if (e.op === 'retype') c[key] = strange[e.to]!;
    else if (e.op === 'flip') {
      // a value of the same type, so that the file stays well-formed and replay meets a different state
      const v = c[key];
      if (typeof v === 'boolean') c[key] = !v;
      else if (typeof v === 'string') c[key] = v.replace(/\d$/, (d) => String((Number(d) % 2) + 1));
      else if (typeof v === 'number') c[key] = v + 1;
      else c[key] = strange[e.to]!;
    } else if (e.op === 'rename' && !Array.isArray(container)) { c[`${String(key)}_zz`] = c[key]!; delete c[key]; }
    else if (Array.isArray(container)) container.push(structuredClone(container[key as number]!));
  }
  const text = JSON.stringify(t);
  return m.truncate === null ? text : text.slice(0, m.truncate % (text.length + 1));
}

describe('fuzz: the command line under generated input', () => {
  it(`${ARG_RUNS} argument vectors for every command: documented exit codes, one-line errors, no hang`, async () => {
    await fc.assert(fc.asyncProperty(argv, (args) => runJudged(args, [0, 1, 2, 4], seen.argv!)), { numRuns: ARG_RUNS, seed: SEED, endOnFailure: true });
    process.stdout.write(`fuzz: ${ARG_RUNS} argument vectors, by exit code: ${JSON.stringify(seen.argv)}\n`);
    expect(Object.keys(seen.argv!).length).toBeGreaterThan(2);
  }, ARG_RUNS * 2_000);

  it(`${ITF_RUNS} mutated ITF files through show, replay and repro: exit 0, 1 or 2, never a stack trace`, async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(mutation, async (m) => {
      const file = join(dir, `m${n++ % 8}.itf.json`);
      writeFileSync(file, mutate(m));
      await runJudged([m.command[0]!, file, ...m.command.slice(1)], [0, 1, 2], seen.itf!);
    }), { numRuns: ITF_RUNS, seed: SEED, endOnFailure: true });
    process.stdout.write(`fuzz: ${ITF_RUNS} mutated ITF files, by exit code: ${JSON.stringify(seen.itf)}\n`);
    expect(Object.keys(seen.itf!).length).toBeGreaterThan(1);
  }, ITF_RUNS * 1_000);
});

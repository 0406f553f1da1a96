// `daxcheck check <model>`: one design, every property, verdict and statistics.

import type { Command } from 'commander';
import { compile } from '../checker/compile.js';
import { availableParallelism } from 'node:os';
import { check, type SearchOptions } from '../checker/search.js';
import { readFileSync } from 'node:fs';
import { type CheckResult, exitCodeOf } from '../checker/result.js';
import { MAX_WORKERS, workerCount } from '../checker/context.js';
import { collectConst, collectList } from './constants.js';
import { formatResult, progressLine, resultJson } from './format.js';
import { type ModelSource, collectFile, designToRun, modelWithDesigns } from './registry.js';
import { loadDesignFiles } from './design-file.js';
import { nonNegativeNumber, positiveNumber, positiveWholeNumber } from './options.js';
import { UsageError } from '../checker/errors.js';
import { useColor } from './color.js';
import { saveViolationsAndReport } from '../traces/save.js';
import { checkOutputDir } from './paths.js';
import { runSearch } from './run-search.js';

export interface CheckOptions {
  design?: string;
  const?: Record<string, string>;
  json?: boolean;
  continue?: boolean;
  dfs?: boolean;
  depth?: string;
  maxSeconds?: string;
  maxMemory?: string;
  deadlock?: boolean;
  property?: string[];
  progress?: string;
  coverage?: boolean;
  witnesses?: boolean;
  traceOut?: string;
  workers?: string;
  designFile?: string[];
  modelFile?: string[];
  avoidAction?: string[];
  checkpoint?: string;
  checkpointEvery?: string;
  resume?: string;
  symmetry?: boolean;
  por?: boolean;
}

/** The search options of `check`; workers import the model from `modelSource`. */
export function searchOptionsFrom(o: CheckOptions, modelSource: ModelSource): SearchOptions {
  const maxMemory = positiveNumber('--max-memory', o.maxMemory);
  const progress = positiveNumber('--progress', o.progress);
  return {
    workers: positiveWholeNumber('--workers', o.workers),
    modelSource,
    strategy: o.dfs ? 'dfs' as const : 'bfs' as const,
    maxDepth: positiveWholeNumber('--depth', o.depth),
    maxSeconds: positiveNumber('--max-seconds', o.maxSeconds),
    maxStoreBytes: maxMemory !== undefined ? maxMemory * 2 ** 20 : undefined,
    continueAfterViolation: o.continue ?? false,
    checkDeadlock: o.deadlock === false ? false : undefined,
    properties: o.property,
    ...(o.avoidAction ? { avoidActions: o.avoidAction } : {}),
    progressEverySeconds: progress ?? 5,
    ...(o.checkpoint !== undefined ? { checkpoint: { dir: o.checkpoint, everySeconds: nonNegativeNumber('--checkpoint-every', o.checkpointEvery) ?? 300 } } : {}),
    ...(o.resume !== undefined ? { resume: o.resume } : {}),
    ...(o.symmetry ? { symmetry: true } : {}),
    ...(o.por ? { por: true } : {}),
    onProgress: (p) => process.stderr.write(progressLine(p) + '\n'),
  };
}

/** The soft limit on the process's address space (`ulimit -v`, RLIMIT_AS) in bytes, or undefined when there is none. */
function addressSpaceLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max address space'));
    if (line === undefined) return undefined;
    const soft = line.slice('Max address space'.length).trim().split(/\s+/)[0];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}

/** What the collector and a table's growth need beside the store, under a limited address space. */
const ADDRESS_SPACE_RESERVE = 128 * 2 ** 20;

/**
 * Under ulimit -v, the most the store may take: a third of what the limit
 * leaves above what the process maps now, less a reserve. Hitting the limit
 * itself is not a clean stop: when the system refuses an array buffer, V8
 * collects first and aborts the process if the collector cannot commit its
 * own memory, so the search must reach its budget before the limit (a
 * third, because a table that grows holds its old and its new arrays).
 */
function addressSpaceBudget(limit: number): number {
  let mapped = 0;
  try {
    const kb = /VmSize:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    mapped = kb === undefined ? 0 : Number(kb) * 1024;
  } catch { /* no /proc: the limit alone */ }
  return Math.max(16 * 2 ** 20, Math.floor((limit - mapped - ADDRESS_SPACE_RESERVE) / 3));
}

export function addSearchOptions(cmd: Command): Command {
  return cmd
    .option('--const <NAME=VALUE>', 'set a constant (repeatable)', collectConst)
    .option('--dfs', 'depth-first instead of breadth-first (traces are then not the shortest)')
    .option('--depth <N>', 'do not expand states at depth N (the verdict is then bounded)')
    .option('--max-seconds <S>', 'stop after S seconds (the verdict is then bounded)')
    .option('--max-memory <MiB>', 'memory the store, parent links and queue may take together (default: half the machine\'s, at most 8192); over it the run stops, incomplete: memory')
    .option('--no-deadlock', 'do not report states with no enabled action')
    .option('--progress <S>', 'seconds between progress lines on stderr (default 5)')
    .option('--checkpoint <DIR>', 'breadth-first, one thread: save the search to DIR at a level boundary every few minutes and when interrupted; --resume DIR continues it')
    .option('--checkpoint-every <S>', 'seconds between checkpoints (default 300; 0: at every level)')
    .option('--resume <DIR>', 'continue the run saved in DIR by --checkpoint (same model, design, constants and options)')
    .option('--symmetry', 'keep one state per orbit of the index sets the model declares interchangeable (its files, processes); counts are then orbits')
    .option('--por', 'partial-order reduction: from a state, take only one independent component\'s steps (the model declares its components and what each action touches); breadth-first on one thread; traces are then not the shortest')
    .option('--workers <N>', `breadth-first search on N worker threads, 1..${MAX_WORKERS} (default 1: sequential; --dfs is always sequential)`);
}

export function registerCheck(program: Command): void {
  addSearchOptions(
    program.command('check <model>')
      .description('check one design of a model against its properties')
      .option('--design <D>', 'the design to check (default: the model\'s own)')
      .option('--design-file <FILE>', 'load designs from a TypeScript or JavaScript file (repeatable); checks its design unless --design says', collectFile)
      .option('--model-file <FILE>', 'load a whole model from a TypeScript or JavaScript file (repeatable); name it as the model', collectFile)
      .option('--property <NAME>', 'check only this property (repeatable, or comma-separated)', collectList('--property'))
      .option('--continue', 'keep going after a violation to report every violated property')
      .option('--json', 'print one JSON object instead of text')
      .option('--no-coverage', 'leave out the per-action coverage table')
      .option('--witnesses', 'also print a trace reaching each reachability goal')
      .option('--avoid-action <NAME>', 'never take this action (repeatable), to see another shortest counterexample', collectFile)
      .option('--trace-out <DIR>', 'write each violation\'s trace to DIR as ITF (.itf.json), one file per property'),
  ).action(async (modelName: string, o: CheckOptions) => {
    const { model, source, added } = modelWithDesigns(modelName, await loadDesignFiles(o.designFile, o.modelFile));
    const cm = compile(model, designToRun(o.design, added), o.const ?? {});
    const { onProgress: _progress, ...search } = searchOptionsFrom(o, source);
    const workers = workerCount(search);
    if (o.dfs && workers > 1) process.stderr.write('note: depth-first search is sequential; --workers is ignored with --dfs\n');
    else if (workers > availableParallelism()) process.stderr.write(`warning: --workers ${workers} is more than the ${availableParallelism()} cores here; the extra threads only wait\n`);
    if (o.symmetry && cm.symmetric.length === 0) process.stderr.write(`note: --symmetry: model ${cm.model} declares no interchangeable index sets, so nothing is reduced\n`);
    if (o.por && cm.components === undefined) process.stderr.write(`note: --por: model ${cm.model} declares no components, so nothing is reduced\n`);
    if (o.traceOut !== undefined) checkOutputDir('--trace-out', o.traceOut);
    if (o.checkpoint !== undefined) checkOutputDir('--checkpoint', o.checkpoint);
    if (o.checkpointEvery !== undefined && o.checkpoint === undefined) throw new UsageError('--checkpoint-every needs --checkpoint DIR');
    // A thread is an isolate that reserves address space of its own; under a
    // limit on it (ulimit -v) starting one can fail fatally, so the search
    // then runs here, where a refused allocation ends it as incomplete: memory.
    const limit = addressSpaceLimit();
    let result: CheckResult;
    if (limit !== undefined) {
      const budget = Math.min(search.maxStoreBytes ?? Infinity, addressSpaceBudget(limit));
      process.stderr.write(`note: address space is limited (ulimit -v): the search runs on the main thread with a memory budget of ${(budget / 2 ** 20).toFixed(0)} MiB (what the limit leaves), and SIGINT/SIGTERM end it without statistics\n`);
      result = check(cm, { ...search, maxStoreBytes: budget, onProgress: (p) => process.stderr.write(progressLine(p) + '\n') });
    } else result = await runSearch(cm, source, search, true);
    saveViolationsAndReport(o.traceOut, result, cm);
    const avoided = o.avoidAction?.length ? [...new Set(o.avoidAction)] : undefined;
    if (o.json) process.stdout.write(JSON.stringify({ ...(resultJson(result) as object), ...(avoided ? { avoidedActions: avoided } : {}) }) + '\n');
    else {
      if (avoided) process.stdout.write(`Actions avoided: ${avoided.join(', ')} (the search never takes them; verdicts are about the other steps only)\n`);
      process.stdout.write(formatResult(result, { color: useColor(process.stdout), coverage: o.coverage, witnesses: o.witnesses, presentation: model.presentation }) + '\n');
    }
    process.exitCode = exitCodeOf(result);
  });
}

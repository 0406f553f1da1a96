// `daxcheck check <model>`: one design, every property, verdict and statistics.

import type { Command } from 'commander';
import { compile } from '../checker/compile.js';
import { check, type SearchOptions } from '../checker/search.js';
import { exitCodeOf } from '../checker/result.js';
import { collectConst, collectList } from './constants.js';
import { formatResult, progressLine, resultJson } from './format.js';
import { type ModelSource, collectFile, designToRun, modelWithDesigns } from './registry.js';
import { loadDesignFiles } from './design-file.js';
import { positiveNumber, positiveWholeNumber } from './options.js';
import { useColor } from './color.js';
import { saveViolationsAndReport } from '../traces/save.js';

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
    onProgress: (p) => process.stderr.write(progressLine(p) + '\n'),
  };
}

export function addSearchOptions(cmd: Command): Command {
  return cmd
    .option('--const <NAME=VALUE>', 'set a constant (repeatable)', collectConst)
    .option('--dfs', 'depth-first instead of breadth-first (traces are then not the shortest)')
    .option('--depth <N>', 'do not expand states at depth N (the verdict is then bounded)')
    .option('--max-seconds <S>', 'stop after S seconds (the verdict is then bounded)')
    .option('--max-memory <MiB>', 'memory the fingerprint store may take (default 8192)')
    .option('--no-deadlock', 'do not report states with no enabled action')
    .option('--progress <S>', 'seconds between progress lines on stderr (default 5)')
    .option('--workers <N>', 'breadth-first search on N worker threads (default 1: sequential; --dfs is always sequential)');
}

export function registerCheck(program: Command): void {
  addSearchOptions(
    program.command('check <model>')
      .description('check one design of a model against its properties')
      .option('--design <D>', 'the design to check (default: the model\'s own)')
      .option('--design-file <FILE>', 'load designs from a TypeScript or JavaScript file (repeatable); checks its design unless --design says', collectFile)
      .option('--model-file <FILE>', 'load a whole model from a TypeScript or JavaScript file (repeatable); name it as the model', collectFile)
      .option('--property <NAME>', 'check only this property (repeatable, or comma-separated)', collectList)
      .option('--continue', 'keep going after a violation to report every violated property')
      .option('--json', 'print one JSON object instead of text')
      .option('--no-coverage', 'leave out the per-action coverage table')
      .option('--witnesses', 'also print a trace reaching each reachability goal')
      .option('--avoid-action <NAME>', 'never take this action (repeatable), to see another shortest counterexample', collectFile)
      .option('--trace-out <DIR>', 'write each violation\'s trace to DIR as ITF (.itf.json), one file per property'),
  ).action(async (modelName: string, o: CheckOptions) => {
    const { model, source, added } = modelWithDesigns(modelName, await loadDesignFiles(o.designFile, o.modelFile));
    const cm = compile(model, designToRun(o.design, added), o.const ?? {});
    const search = searchOptionsFrom(o, source);
    if (o.dfs && (search.workers ?? 1) > 1) process.stderr.write('note: depth-first search is sequential; --workers is ignored with --dfs\n');
    const result = check(cm, search);
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

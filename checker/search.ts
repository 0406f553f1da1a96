// Explicit-state search of a compiled model: breadth-first (shortest
// counterexamples; each level expanded in this thread or on N worker
// threads) or depth-first. Both expand states through the transition core
// (core.ts) and assemble their result in outcome.ts.

import { breadthFirst } from './bfs.js';
import type { CompiledModel } from './compile.js';
import { SearchContext, workerCount, type SearchOptions } from './context.js';
import { depthFirst } from './dfs.js';
import { LocalLevels } from './local.js';
import { ParallelLevels } from './parallel/levels.js';
import type { CheckResult } from './result.js';
import { UsageError } from './errors.js';
import { independenceOf, touchesBreakSymmetry } from './por.js';

export { DEFAULT_STORE_BYTES, type ModelSource, type SearchOptions } from './context.js';

export function check(cm: CompiledModel, opts: SearchOptions = {}): CheckResult {
  const workers = workerCount(opts);
  if ((opts.checkpoint || opts.resume) && (opts.strategy === 'dfs' || workers > 1)) {
    throw new UsageError('--checkpoint and --resume take a breadth-first search on one thread (no --workers above 1, no --dfs)');
  }
  if ((opts.checkpoint || opts.resume) && opts.symmetry) {
    throw new UsageError('--symmetry does not combine with --checkpoint or --resume (a checkpoint does not keep the orbit counts); leave one out');
  }
  if (opts.por) {
    const other = opts.strategy === 'dfs' ? '--dfs' : workers > 1 ? '--workers above 1' : opts.checkpoint || opts.resume ? '--checkpoint and --resume' : undefined;
    if (other) throw new UsageError(`--por takes a breadth-first search on one thread and does not combine with ${other} yet`);
    // With --symmetry the ample sets are computed on the stored representative, so they must agree up to renaming (por.ts).
    const ind = opts.symmetry && cm.symmetric.length > 0 ? independenceOf(cm) : undefined;
    const broken = ind ? touchesBreakSymmetry(cm, ind) : undefined;
    if (broken) throw new UsageError(`--por with --symmetry: ${broken}; the model's touches must treat the symmetric elements alike (or leave one reduction out)`);
  }
  const ctx = new SearchContext(cm, opts);
  if (opts.strategy === 'dfs') return depthFirst(ctx);
  return breadthFirst(ctx, workers > 1 ? new ParallelLevels(ctx, workers) : new LocalLevels(ctx));
}

// Every model's table at once. Each model's matrix is a search of its own
// with nothing shared, so with no single model named (`npm start`) each runs
// in a child process and the machine's cores take them side by side: the
// whole run then takes about as long as its slowest model, not the sum. The
// tables are printed in the models' order, exactly as one process prints them.

import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { ExitCode } from '../checker/result.js';

export interface PerModelRun { readonly stdout: string; readonly code: number }

/** Runs `daxcheck matrix MODEL ...args` for each model, at most one per core at a time; results in `models` order. */
export async function matrixPerProcess(models: readonly string[], args: readonly string[], env: NodeJS.ProcessEnv): Promise<PerModelRun[]> {
  const bin = process.argv[1]!;
  const results: PerModelRun[] = new Array(models.length);
  let next = 0;
  const runOne = (i: number) => new Promise<void>((done) => {
    const child = spawn(process.execPath, [...process.execArgv, bin, 'matrix', models[i]!, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.on('close', (code) => { results[i] = { stdout, code: code ?? ExitCode.internal }; done(); });
  });
  const lane = async () => { while (next < models.length) await runOne(next++); };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), models.length) }, lane));
  return results;
}

/** The exit code of the whole run: bad input first, then a bug, then a cut-short run; a table with violations is 0, as in one process. */
export function combinedExitCode(codes: readonly number[]): number {
  for (const c of [ExitCode.badInput, ExitCode.internal, ExitCode.cutShort]) if (codes.includes(c)) return c;
  return codes.find((c) => c !== 0) ?? 0;
}

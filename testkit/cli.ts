// Runs the built command line (npm test builds dist/ first, in pretest).

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/daxcheck.js', import.meta.url));

export interface CliRun { code: number | null; stdout: string; stderr: string }

export function daxcheck(...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

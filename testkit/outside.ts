// Running the built command line from a directory outside the repository, as
// a user with a design file of their own does.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliRun } from './cli.js';

const bin = fileURLToPath(new URL('../bin/daxcheck.js', import.meta.url));
export const exampleDesign = fileURLToPath(new URL('../examples/flip-when-unmapped.ts', import.meta.url));

/** A fresh empty directory in the system's temporary directory. */
export function emptyDir(): string {
  return mkdtempSync(join(tmpdir(), 'daxcheck-user-'));
}

/** A directory holding the shipped example design and the given files. */
export function userDir(files: Readonly<Record<string, string>> = {}): string {
  const dir = emptyDir();
  copyFileSync(exampleDesign, join(dir, 'flip-when-unmapped.ts'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export function daxcheckIn(dir: string, ...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a README command line (`daxcheck ARGS...`, arguments in single quotes or bare). */
export function runCommandLine(dir: string, line: string): CliRun {
  const args = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  if (args.shift() !== 'daxcheck') throw new Error(`not a daxcheck command: ${line}`);
  return daxcheckIn(dir, ...args);
}

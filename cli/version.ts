// The version `daxcheck --version` prints: package.json's, read at run time,
// so that a release changes it in one place.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The package root is one level up from cli/version.ts (vitest runs the
// source) and two from its build, dist/cli/version.js.
const packageJson = new URL(import.meta.url.endsWith('.ts') ? '../package.json' : '../../package.json', import.meta.url);

export function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string') throw new Error(`${fileURLToPath(packageJson)} has no "version"`);
  return version;
}

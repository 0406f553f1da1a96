// `check --trace-out DIR`: every violation of a run written to its own ITF
// file, named so that a directory of them sorts by model, design, property.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledModel } from '../checker/compile.js';
import { UsageError } from '../checker/errors.js';
import type { CheckResult, Trace } from '../checker/result.js';
import { encodeTrace, type PropertyInfo } from './encode.js';
import { formatItf } from './itf-write.js';

function traceFileName(model: string, design: string, property: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, '_');
  return `${safe(model)}.${safe(design)}.${safe(property)}.itf.json`;
}

function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`--trace-out ${dir}: cannot create the directory (${(e as Error).message})`);
  }
}

/** Writes one counterexample of `property` to DIR; returns its path. */
export function saveTrace(dir: string, cm: CompiledModel, trace: Trace, property: PropertyInfo): string {
  ensureDir(dir);
  const path = join(dir, traceFileName(cm.model, cm.design, property.name));
  writeFileSync(path, formatItf(encodeTrace(trace, cm, property)));
  return path;
}

/** Writes one file per violated property (and one for a deadlock); returns their paths. */
function saveViolations(dir: string, result: CheckResult, cm: CompiledModel): string[] {
  ensureDir(dir);
  const written: string[] = [];
  for (const p of result.properties) {
    if (p.status !== 'violated' || !p.trace || p.kind === 'reachable') continue;
    written.push(saveTrace(dir, cm, p.trace, { name: p.name, kind: p.kind, ...(p.doc ? { doc: p.doc } : {}) }));
  }
  if (result.deadlock) written.push(saveTrace(dir, cm, result.deadlock.trace, DEADLOCK));
  return written;
}

export const DEADLOCK: PropertyInfo = { name: 'Deadlock', kind: 'deadlock', doc: 'no action is enabled' };

/** The one call check.ts makes: save, then say where on stderr (stdout may be --json). */
export function saveViolationsAndReport(dir: string | undefined, result: CheckResult, cm: CompiledModel): void {
  if (dir === undefined) return;
  const paths = saveViolations(dir, result, cm);
  for (const p of paths) process.stderr.write(`Trace written: ${p}\n`);
  if (paths.length === 0) process.stderr.write(`No violation, so no trace written to ${dir}\n`);
}

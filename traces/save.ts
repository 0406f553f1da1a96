// `check --trace-out DIR`: every violation of a run written to its own ITF
// file, named so that a directory of them sorts by model, design, property.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledModel } from '../checker/compile.js';
import { UsageError } from '../checker/errors.js';
import type { CheckResult } from '../checker/result.js';
import { encodeTrace } from './encode.js';
import { formatItf } from './itf-write.js';

export function traceFileName(model: string, design: string, property: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, '_');
  return `${safe(model)}.${safe(design)}.${safe(property)}.itf.json`;
}

/** Writes one file per violated property (and one for a deadlock); returns their paths. */
export function saveViolations(dir: string, result: CheckResult, cm: CompiledModel): string[] {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`--trace-out ${dir}: cannot create the directory (${(e as Error).message})`);
  }
  const written: string[] = [];
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    written.push(path);
  };
  for (const p of result.properties) {
    if (p.status !== 'violated' || !p.trace || p.kind === 'reachable') continue;
    const itf = encodeTrace(p.trace, cm, { name: p.name, kind: p.kind, ...(p.doc ? { doc: p.doc } : {}) });
    write(traceFileName(cm.model, cm.design, p.name), formatItf(itf));
  }
  if (result.deadlock) {
    const itf = encodeTrace(result.deadlock.trace, cm, { name: 'Deadlock', kind: 'deadlock', doc: 'no action is enabled' });
    write(traceFileName(cm.model, cm.design, 'Deadlock'), formatItf(itf));
  }
  return written;
}

/** The one call check.ts makes: save, then say where on stderr (stdout may be --json). */
export function saveViolationsAndReport(dir: string | undefined, result: CheckResult, cm: CompiledModel): void {
  if (dir === undefined) return;
  const paths = saveViolations(dir, result, cm);
  for (const p of paths) process.stderr.write(`Trace written: ${p}\n`);
  if (paths.length === 0) process.stderr.write(`No violation, so no trace written to ${dir}\n`);
}

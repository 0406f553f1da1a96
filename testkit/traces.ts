// Shared by the trace tests: a real counterexample from the engine, and a
// fresh temporary directory.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, type CompiledModel } from '../checker/compile.js';
import type { Trace } from '../checker/result.js';
import { check } from '../checker/search.js';
import { modelNamed } from '../cli/registry.js';

export function counterexample(model: string, design: string, consts: Record<string, string | number> = {}): { cm: CompiledModel; trace: Trace; property: string; doc?: string } {
  const cm = compile(modelNamed(model), design, consts);
  const r = check(cm, {});
  const p = r.properties.find((x) => x.status === 'violated');
  if (!p?.trace) throw new Error(`${model}/${design}: no violation`);
  return { cm, trace: p.trace, property: p.name, ...(p.doc ? { doc: p.doc } : {}) };
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `daxcheck-${tag}-`));
}

export const examplesDir = new URL('../traces/examples/', import.meta.url).pathname;

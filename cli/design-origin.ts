// Which user's file an action comes from, so that a value it writes outside
// its domain is reported as that file's mistake, at the line that defines it.
// The core names the action that wrote the value (SchemaViolation.origin);
// the loader remembers, as each design file's extension or model file's parts
// are built, which actions (and initial-state functions) are the file's.
// The line is the defining function's, found through the inspector (V8's
// [[FunctionLocation]]) and mapped back through the bundle's inline source map.

import { Session } from 'node:inspector';
import { findSourceMap } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SchemaViolation } from '../checker/errors.js';
import type { UserDesign } from '../checker/extend.js';
import type { ModelDef, ModelParts } from '../checker/model.js';

/** The functions that may have written the value, most precise first; computed only when one did. */
type Origin = { readonly file: string; readonly functions: () => readonly unknown[] };

const origins = new Map<string, Origin>();
/** The URLs of the transpiled user's files (the loader's bundles): a line is looked up only in them. */
export const userBundles = new Set<string>();
const key = (model: string, design: string, action: string) => `${model}\0${design}\0${action}`;

/** A design of a file, remembering its own actions, changed actions and initial values as it is built. */
export function designRemembered(u: UserDesign, file: string): UserDesign {
  const extend = u.extend;
  if (!extend) return u;
  return {
    ...u,
    extend: (c, base) => {
      const x = extend(c, base);
      for (const [n, a] of Object.entries(x.actions ?? {})) origins.set(key(u.model, u.name, n), { file, functions: () => [a.effect] });
      for (const [n, change] of Object.entries(x.change ?? {})) {
        const b = base.actions[n];
        origins.set(key(u.model, u.name, n), { file, functions: () => [...(b ? [change(b).effect] : []), change] });
      }
      if (x.initially) origins.set(key(u.model, u.name, 'Init'), { file, functions: () => [x.initially] });
      return x;
    },
  };
}

/** A model of a file: every action of every design it builds is the file's. */
export function modelRemembered<M extends ModelDef<any, any>>(m: M, file: string): M {
  return {
    ...m,
    build(c: never, d: never) {
      const parts = m.build(c, d) as ModelParts;
      const design = Object.entries(m.designs).find(([, v]) => v === d)?.[0] ?? m.defaultDesign;
      for (const [n, a] of Object.entries(parts.actions)) origins.set(key(m.name, design, n), { file, functions: () => [a.effect] });
      origins.set(key(m.name, design, 'Init'), { file, functions: () => [parts.init.effect] });
      return parts;
    },
  };
}

/** `FILE[:LINE]: message` when the action that wrote the value is a user's file's; undefined when it is the built-in model's. */
export function violationInUserFile(e: SchemaViolation): string | undefined {
  const o = e.origin && origins.get(key(e.origin.model, e.origin.design, e.origin.action));
  if (!o) return undefined;
  let fns: readonly unknown[] = [];
  try { fns = o.functions(); } catch { /* a change that throws when asked again: the file without a line */ }
  for (const fn of fns) {
    const at = typeof fn === 'function' ? sourceLineOf(fn) : undefined;
    if (at) return `${at}: ${e.message}`;
  }
  return `${o.file}: ${e.message}`;
}

/** Where a function of a transpiled user's file is defined, as `FILE:LINE` of its source; undefined for any other function. */
function sourceLineOf(fn: Function): string | undefined {
  const at = functionLocation(fn);
  if (!at || !userBundles.has(at.url)) return undefined;
  const entry = findSourceMap(at.url)?.findEntry(at.lineNumber, at.columnNumber);
  if (!entry || !('originalSource' in entry) || !entry.originalSource) return undefined;
  const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : entry.originalSource;
  return `${relative(process.cwd(), source)}:${entry.originalLine + 1}`;
}

/** V8's record of where a function's text starts (0-based), asked through an inspector session on this thread (its replies come synchronously). */
function functionLocation(fn: Function): { url: string; lineNumber: number; columnNumber: number } | undefined {
  const session = new Session();
  session.connect();
  const urls = new Map<string, string>();
  session.on('Debugger.scriptParsed', (m) => { urls.set(m.params.scriptId, m.params.url); });
  const slot = '__daxcheckFunctionToLocate';
  let found: { url: string; lineNumber: number; columnNumber: number } | undefined;
  try {
    session.post('Debugger.enable');
    (globalThis as Record<string, unknown>)[slot] = fn;
    session.post('Runtime.evaluate', { expression: `globalThis.${slot}` }, (err, r) => {
      if (err || !r.result.objectId) return;
      session.post('Runtime.getProperties', { objectId: r.result.objectId }, (err2, props) => {
        const loc = err2 ? undefined : props.internalProperties?.find((p) => p.name === '[[FunctionLocation]]')?.value?.value as
          { scriptId: string; lineNumber: number; columnNumber: number } | undefined;
        const url = loc && urls.get(loc.scriptId);
        if (loc && url) found = { url, lineNumber: loc.lineNumber, columnNumber: loc.columnNumber };
      });
    });
  } finally {
    delete (globalThis as Record<string, unknown>)[slot];
    session.disconnect();
  }
  return found;
}

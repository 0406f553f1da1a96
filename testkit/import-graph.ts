// The import graph of the project's sources, for the structure test: every
// relative reference from one .ts file to another (static imports and
// re-exports, type-only ones too; `import('…')`; `new URL('…', import.meta.url)`
// naming a module), the cycles in it, and the references against the
// direction spec → checker ← traces ← cli. Parsed with the TypeScript
// compiler, so a path in a comment or a string is not mistaken for an import.

import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';

export type ReferenceKind = 'import' | 'dynamic import' | 'module URL';
export interface Reference { readonly specifier: string; readonly kind: ReferenceKind }
export interface Edge { readonly from: string; readonly to: string; readonly kind: ReferenceKind }

const isImportMetaUrl = (e: ts.Expression): boolean =>
  ts.isPropertyAccessExpression(e) && e.name.text === 'url' &&
  ts.isMetaProperty(e.expression) && e.expression.keywordToken === ts.SyntaxKind.ImportKeyword;

/** The relative module specifiers a source text refers to. */
export function referencesIn(fileName: string, text: string): Reference[] {
  const out: Reference[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      out.push({ specifier: n.moduleSpecifier.text, kind: 'import' });
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      out.push({ specifier: n.argument.literal.text, kind: 'import' });
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteralLike(n.arguments[0])) {
      out.push({ specifier: n.arguments[0].text, kind: 'dynamic import' });
    } else if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'URL' && n.arguments?.length === 2 &&
      ts.isStringLiteralLike(n.arguments[0]!) && isImportMetaUrl(n.arguments[1]!) && /\.(m?js|ts)$/.test(n.arguments[0].text)) {
      out.push({ specifier: n.arguments[0].text, kind: 'module URL' });
    }
    ts.forEachChild(n, visit);
  };
  visit(ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
  return out.filter((r) => r.specifier.startsWith('./') || r.specifier.startsWith('../'));
}

/** Every .ts file under the folders, as paths relative to root ('checker/search.ts'). */
export function sourceFiles(root: string, folders: readonly string[]): string[] {
  const walk = (dir: string): string[] => readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = posix.join(dir, e.name);
    if (e.isDirectory()) return walk(rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
  return folders.flatMap(walk).sort();
}

/** The edges between files; a `.js` specifier names its `.ts` source. Targets outside the files are kept as resolved. */
export function importEdges(root: string, files: readonly string[]): Edge[] {
  const known = new Set(files);
  return files.flatMap((from) => referencesIn(from, readFileSync(join(root, from), 'utf8')).map((r) => {
    const target = posix.normalize(posix.join(posix.dirname(from), r.specifier));
    const source = target.replace(/\.js$/, '.ts');
    return { from, to: known.has(source) ? source : target, kind: r.kind };
  }));
}

export interface Cycle {
  /** The files of one strongly connected component, sorted: each reaches every other. */
  readonly files: readonly string[];
  /** A shortest cycle through its first file: ['a', 'b', 'a']. */
  readonly path: readonly string[];
}

/** The cycles of a graph, one per strongly connected component (Tarjan), self-imports included. */
export function cycles(edges: readonly Pick<Edge, 'from' | 'to'>[]): Cycle[] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    if (!next.has(from)) next.set(from, []);
    if (!next.has(to)) next.set(to, []);
    next.get(from)!.push(to);
  }
  const index = new Map<string, number>(), low = new Map<string, number>();
  const stack: string[] = [], onStack = new Set<string>(), components: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size); low.set(v, index.get(v)!); stack.push(v); onStack.add(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) { connect(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const c: string[] = [];
    for (let w = ''; w !== v;) { w = stack.pop()!; onStack.delete(w); c.push(w); }
    if (c.length > 1 || next.get(v)!.includes(v)) components.push(c.sort());
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) connect(v);
  return components.map((files) => ({ files, path: cycleThrough(files, next) })).sort((a, b) => a.files[0]!.localeCompare(b.files[0]!));
}

export const showCycle = (c: Cycle) =>
  c.path.join(' → ') + (c.files.length > c.path.length - 1 ? ` (one ring of ${c.files.length} files: ${c.files.join(', ')})` : '');

/** A shortest path from the component's first node back to itself, inside the component. */
function cycleThrough(component: readonly string[], next: Map<string, string[]>): string[] {
  const start = component[0]!, inside = new Set(component);
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (const w of [...next.get(v)!].sort()) {
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = parent.get(u)!) path.splice(1, 0, u);
        return [...path, start];
      }
      if (inside.has(w) && !parent.has(w)) { parent.set(w, v); queue.push(w); }
    }
  }
  throw new Error(`no cycle through ${start}`);
}

/** What each folder may refer to: spec → checker ← traces ← conform ← cli; bench measures checker on spec. */
export const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  checker: ['checker'],
  spec: ['spec', 'checker'],
  traces: ['traces', 'checker'],
  // The public API (api/index.ts) gathers what a user's design file imports.
  api: ['api', 'checker', 'spec'],
  // Runs traces on a real kernel: the reproducer (traces) and the core (checker), knowing no model.
  conform: ['conform', 'checker', 'traces'],
  cli: ['cli', 'api', 'checker', 'spec', 'traces', 'conform'],
  bench: ['bench', 'checker', 'spec'],
};

/** The edges that go against MAY_IMPORT. */
export function againstDirection(edges: readonly Edge[], rules = MAY_IMPORT): Edge[] {
  const folder = (path: string) => path.split('/')[0]!;
  return edges.filter((e) => !(rules[folder(e.from)] ?? []).includes(folder(e.to)));
}

export const show = (e: Edge) => `${e.from} → ${e.to} (${e.kind})`;

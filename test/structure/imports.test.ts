// Dependencies point one way (spec → checker ← traces ← cli; bench may use
// checker and spec) and no file imports itself through others: checked on
// every relative import of the sources, and the checks checked on small
// graphs where the answer is known.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Edge, againstDirection, cycles, importEdges, referencesIn, show, showCycle, sourceFiles } from '../../testkit/import-graph.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const folders = ['checker', 'spec', 'traces', 'conform', 'api', 'cli', 'bench'];

/** Tolerated exceptions, each by the files of its ring; the last test fails on an entry that no longer exists. */
const KNOWN_CYCLES: string[] = [];
const KNOWN_AGAINST: string[] = [];

const edge = (from: string, to: string, kind: Edge['kind'] = 'import'): Edge => ({ from, to, kind });

describe('the import checks themselves', () => {
  it('find every form of relative reference, and none in comments or strings', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "import './side-effect.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "import pc from 'picocolors';",
      "import { readFileSync } from 'node:fs';",
      "type E = typeof import('./e.js');",
      "const f = await import('../f.js');",
      "const g = await import(new URL('../spec/g.js', import.meta.url).href);",
      "const h = new URL('./h.js', someOtherBase);",
      "const data = new URL('./examples/', import.meta.url);",
      "// import { x } from './in-a-comment.js';",
      "const s = \"import { y } from './in-a-string.js'\";",
    ].join('\n');
    expect(referencesIn('x/mod.ts', text)).toEqual([
      { specifier: './a.js', kind: 'import' },
      { specifier: '../b/b.js', kind: 'import' },
      { specifier: './side-effect.js', kind: 'import' },
      { specifier: './c.js', kind: 'import' },
      { specifier: './d.js', kind: 'import' },
      { specifier: './e.js', kind: 'import' },
      { specifier: '../f.js', kind: 'dynamic import' },
      { specifier: '../spec/g.js', kind: 'module URL' },
    ]);
  });

  it('name each cycle as a path, self-imports too, and find none in a graph without one', () => {
    const withCycles = [
      edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('d', 'a'), edge('c', 'd2'),
      edge('x', 'x'),
      edge('p', 'q'), edge('q', 'p'), edge('q', 'r'),
    ];
    expect(cycles(withCycles)).toEqual([
      { files: ['a', 'b', 'c'], path: ['a', 'b', 'c', 'a'] },
      { files: ['p', 'q'], path: ['p', 'q', 'p'] },
      { files: ['x'], path: ['x', 'x'] },
    ]);
    expect(cycles([edge('a', 'b'), edge('b', 'c'), edge('a', 'c'), edge('d', 'a')])).toEqual([]);
  });

  it('name a ring by a shortest cycle and all its files', () => {
    const [ring] = cycles([edge('a', 'b'), edge('b', 'a'), edge('b', 'c'), edge('c', 'a')]);
    expect(showCycle(ring!)).toBe('a → b → a (one ring of 3 files: a, b, c)');
  });

  it('flag exactly the references against spec → checker ← traces ← cli', () => {
    const against = againstDirection([
      edge('checker/search.ts', 'spec/index.ts', 'dynamic import'),
      edge('checker/search.ts', 'cli/main.ts'),
      edge('checker/search.ts', 'checker/store.ts'),
      edge('spec/dax/index.ts', 'checker/model.ts'),
      edge('spec/dax/index.ts', 'traces/codec.ts'),
      edge('traces/load.ts', 'cli/registry.ts'),
      edge('traces/load.ts', 'spec/index.ts'),
      edge('traces/replay.ts', 'checker/compile.ts'),
      edge('cli/check.ts', 'traces/save.ts'),
      edge('cli/registry.ts', 'spec/index.ts'),
      edge('bench/one.ts', 'spec/index.ts'),
      edge('bench/one.ts', 'cli/main.ts'),
      edge('checker/x.ts', 'testkit/y.ts'),
    ]).map(show);
    expect(against).toEqual([
      'checker/search.ts → spec/index.ts (dynamic import)',
      'checker/search.ts → cli/main.ts (import)',
      'spec/dax/index.ts → traces/codec.ts (import)',
      'traces/load.ts → cli/registry.ts (import)',
      'traces/load.ts → spec/index.ts (import)',
      'bench/one.ts → cli/main.ts (import)',
      'checker/x.ts → testkit/y.ts (import)',
    ]);
  });
});

describe('the project', () => {
  const files = sourceFiles(root, folders);
  const edges = importEdges(root, files);

  it('is all read: every folder has files, and known imports are seen', () => {
    for (const f of folders) expect(files.some((p) => p.startsWith(`${f}/`)), f).toBe(true);
    expect(edges.map(show)).toContain('cli/traces.ts → traces/load.ts (import)');
    expect(edges.map(show)).toContain('checker/parallel/worker.ts → checker/parallel/worker-engine.ts (dynamic import)');
  });

  it('every relative import names a file of the project', () => {
    const missing = edges.filter((e) => e.kind === 'import' && !files.includes(e.to)).map(show);
    expect(missing).toEqual([]);
  });

  it('has no import cycle between files', () => {
    const found = cycles(edges).filter((c) => !KNOWN_CYCLES.includes(c.files.join(', ')));
    expect(found.map(showCycle)).toEqual([]);
  });

  it('imports only along spec → checker ← traces ← cli (bench: checker and spec)', () => {
    const against = againstDirection(edges).map(show).filter((e) => !KNOWN_AGAINST.includes(e));
    expect(against).toEqual([]);
  });

  it('every tolerated exception still exists (delete the ones that are gone)', () => {
    const rings = cycles(edges).map((c) => c.files.join(', '));
    expect(KNOWN_CYCLES.filter((k) => !rings.includes(k))).toEqual([]);
    const against = againstDirection(edges).map(show);
    expect(KNOWN_AGAINST.filter((k) => !against.includes(k))).toEqual([]);
  });
});

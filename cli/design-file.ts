// Loading a user's design file (`--design-file FILE`): TypeScript or
// JavaScript anywhere on disk, type-checked when it is TypeScript (type-check.ts),
// transpiled and bundled with esbuild (its own
// relative imports included), with the bare specifier `daxcheck` pointed at
// the package's public API (dist/api/index.js) and left an import, so the
// user's file and the CLI share one copy of the model code. The output is
// written to a cache directory and imported from there; worker threads of a
// `--workers` run import a small module written beside it that builds the
// same model (see modelSourceWith).

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Message, type Plugin } from 'esbuild';
import { UsageError } from '../checker/errors.js';
import { typeCheck } from './type-check.js';
import { designRemembered, modelRemembered, userBundles } from './design-origin.js';
import { designsExportedBy, type UserDesign } from '../checker/extend.js';
import type { ModelDef } from '../checker/model.js';

/** The compiled public API; from the TypeScript sources (vitest) its compiled twin, as spec/index.ts does for workers. */
export const apiModuleUrl = new URL(import.meta.url.endsWith('.ts') ? '../dist/api/index.js' : '../api/index.js', import.meta.url).href;

const cacheDir = () => join(tmpdir(), 'daxcheck-designs');

/** Files loaded in this process, so that an error thrown from inside one is reported as the user's (main.ts). */
export const loadedDesignFiles = new Set<string>();

export interface LoadedDesignFile {
  readonly file: string;
  /** URL of the transpiled module. */
  readonly url: string;
  readonly designs: readonly UserDesign[];
  /** Whole models the file exports (--model-file), by export name. */
  readonly models: readonly { readonly export: string; readonly model: ModelDef<any, any> }[];
}

/** A model definition (defineModel's result) among a module's exports. */
function isModelDef(x: unknown): x is ModelDef<any, any> {
  const m = x as Partial<ModelDef<any, any>> | null;
  return typeof m === 'object' && m !== null && typeof m.name === 'string' && typeof m.build === 'function'
    && typeof m.designs === 'object' && typeof m.defaultDesign === 'string' && typeof m.constants === 'object';
}

const daxcheckSpecifier: Plugin = {
  name: 'daxcheck-public-api',
  setup(b) {
    b.onResolve({ filter: /^daxcheck$/ }, () => ({ path: apiModuleUrl, external: true }));
  },
};


/** Another daxcheck may be importing the same cached file: it appears whole or not at all. */
function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export async function loadDesignFile(file: string, kind: 'design' | 'model' = 'design'): Promise<LoadedDesignFile> {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new UsageError(`--${kind}-file ${file}: no such file`);
  let code: string;
  let sources: string[];
  const dir = cacheDir();
  // The bundle is named by its content, so running the same file again reuses it instead of filling the cache.
  // (Its inline source map names the user's files relative to this directory, whatever the name.)
  let out = join(dir, 'bundle.mjs');
  try {
    const result = await build({
      entryPoints: [abs], bundle: true, format: 'esm', platform: 'node', target: 'node20', write: false,
      outfile: out, sourcemap: 'inline', packages: 'external', plugins: [daxcheckSpecifier], logLevel: 'silent',
      absWorkingDir: dirname(abs), metafile: true,
    });
    code = result.outputFiles[0]!.text;
    sources = [abs, ...Object.keys(result.metafile.inputs).map((f) => resolve(dirname(abs), f)).filter((f) => f !== abs)];
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (!errors?.length) throw e;
    const m = errors[0]!;
    const where = m.location ? relative(process.cwd(), resolve(dirname(abs), m.location.file)) : file;
    throw new UsageError(`${m.location ? `${where}:${m.location.line}:${m.location.column + 1}: ` : `${file}: `}${m.text}`);
  }
  // A syntax error is esbuild's to report (above); a type error the compiler's, before any of the file runs.
  await typeCheck(sources, apiModuleUrl, dir);
  out = join(dir, `${createHash('sha256').update(code).digest('hex').slice(0, 24)}.mjs`);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(out)) writeAtomically(out, code);
  process.setSourceMapsEnabled(true);
  loadedDesignFiles.add(abs);
  const url = pathToFileURL(out).href;
  userBundles.add(url);
  let mod: Record<string, unknown>;
  try {
    mod = await import(url) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(userFrame(e, abs, file) ?? `${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  // Remembered as they are built: which actions are the file's (design-origin.ts).
  const designs = designsExportedBy(mod, file).map((d) => designRemembered(d, file));
  const models = Object.entries(mod).filter(([, v]) => isModelDef(v)).map(([k, v]) => ({ export: k, model: modelRemembered(v as ModelDef<any, any>, file) }));
  if (kind === 'model' && models.length === 0) {
    throw new UsageError(`${file} exports no model; export one made with defineModel({ name, summary, constants, build, designs, defaultDesign }) from 'daxcheck'`);
  }
  if (kind === 'design' && designs.length === 0) {
    throw new UsageError(`${file} exports no design; export one made with defineDesign({ model, name, summary, base, ... }) from 'daxcheck'`);
  }
  return { file, url, designs, models };
}

/** The files of --model-file (whole models) and --design-file (designs), models first. */
export async function loadDesignFiles(files: readonly string[] | undefined, modelFiles?: readonly string[]): Promise<LoadedDesignFile[]> {
  const out: LoadedDesignFile[] = [];
  for (const f of modelFiles ?? []) out.push(await loadDesignFile(f, 'model'));
  for (const f of files ?? []) out.push(await loadDesignFile(f));
  return out;
}

/**
 * An error thrown from inside a loaded design file, as `FILE:LINE: message`;
 * undefined when the error did not come from one. The stack names the user's
 * source lines because the transpiled module carries an inline source map.
 */
export function userFrame(e: unknown, abs?: string, shown?: string): string | undefined {
  if (!(e instanceof Error) || !e.stack) return undefined;
  const files = abs ? [abs] : [...loadedDesignFiles];
  for (const line of e.stack.split('\n').slice(1)) {
    for (const f of files) {
      const m = new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(line.replace('file://', ''));
      // The stack's first line keeps the error's own name also when it crossed from the search thread as a plain Error.
      const head = e.stack.split('\n')[0]!.replace(/^Error: /, '');
      if (m) return `${shown ?? relative(process.cwd(), f)}:${m[1]}: ${head}`;
    }
  }
  return undefined;
}

/**
 * Where worker threads load the model with these designs: a module written to
 * the cache that imports the built-in model and each transpiled file, and
 * exports the same combined model as `model`.
 */
export function modelSourceWith(builtIn: { module: string; export: string }, loaded: readonly LoadedDesignFile[]): { kind: 'module'; module: string; export: string } {
  // The user's modules are imported after source maps are on, so that an error they throw names the user's line.
  const lines = [
    `import { designsExportedBy, withDesigns } from ${JSON.stringify(apiModuleUrl)};`,
    'process.setSourceMapsEnabled(true);',
    `const { ${builtIn.export}: base } = await import(${JSON.stringify(builtIn.module)});`,
    ...loaded.map((l, i) => `const d${i} = await import(${JSON.stringify(l.url)});`),
    `export const model = withDesigns(base, [${loaded.map((l, i) => `...designsExportedBy(d${i}, ${JSON.stringify(l.file)})`).join(', ')}]);`,
  ];
  const text = lines.join('\n') + '\n';
  const out = join(cacheDir(), `workers-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.mjs`);
  mkdirSync(cacheDir(), { recursive: true });
  if (!existsSync(out)) writeAtomically(out, text);
  return { kind: 'module', module: pathToFileURL(out).href, export: 'model' };
}

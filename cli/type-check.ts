// Type-checking a user's TypeScript design or model file before it runs
// (`--design-file`, `--model-file`): esbuild only strips types, so without
// this a type error would go unreported or surface later as something
// confusing. The TypeScript compiler checks the file and its own relative
// imports with the project's strict options, with `import ... from
// 'daxcheck'` resolved to the package's own declaration files (what its
// "exports" name), wherever the file is and whether or not a node_modules
// is near it. The first error is the user's: `FILE:LINE:COL: message`.
//
// The compiler takes about a second to load and check; a file that passed is
// remembered by the content of its sources (and the declarations and
// compiler it was checked against), so running it again costs a hash.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type TS from 'typescript';
import { UsageError } from '../checker/errors.js';

/**
 * The project's strictness (tsconfig.json), for a file that is bundled, not
 * compiled: module resolution as a bundler does it (esbuild resolves the
 * file's imports), only the ES library (a design runs against the model API,
 * and the package ships without Node's types), no output.
 */
const checkOptions = {
  strict: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  esModuleInterop: true,
  skipLibCheck: true,
  target: 'ES2022',
  module: 'ESNext',
  moduleResolution: 'Bundler',
  lib: ['es2022'],
  types: [],
  allowJs: true,
  checkJs: false,
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
  noEmit: true,
} as const;

/**
 * The one global of Node's a design plausibly uses, to print while it is
 * being written: Node's own types are not shipped with the package, and the
 * DOM library, which also declares it, would add a second and a half to each check.
 */
const runtimeGlobals = `declare var console: {
  log(...data: unknown[]): void; info(...data: unknown[]): void; warn(...data: unknown[]): void;
  error(...data: unknown[]): void; debug(...data: unknown[]): void; trace(...data: unknown[]): void;
};
`;
const runtimeGlobalsFile = '/daxcheck-design-globals.d.ts';

const require = createRequire(import.meta.url);

/** The package's own declaration of its public API, beside the compiled module the loader imports. */
function apiDeclarations(apiModuleUrl: string): string {
  return fileURLToPath(apiModuleUrl).replace(/\.js$/, '.d.ts');
}

/** What a check's verdict depends on besides the sources: the compiler, its options, the API's declarations. */
function checkContext(api: string): string {
  const tsVersion = (JSON.parse(readFileSync(require.resolve('typescript/package.json'), 'utf8')) as { version: string }).version;
  // tsc rewrites every declaration file on each build, so the entry's time stamp changes with any of them.
  const st = statSync(api);
  return JSON.stringify({ tsVersion, checkOptions, runtimeGlobals, api, mtime: st.mtimeMs, size: st.size });
}

/**
 * Type-checks the TypeScript among `sources` (absolute paths: the file
 * first, then the files it imports, as the bundler found them); throws the first error as
 * a UsageError naming file, line and column. `cacheDir` remembers the files
 * that passed.
 */
export async function typeCheck(sources: readonly string[], apiModuleUrl: string, cacheDir: string): Promise<void> {
  const roots = sources.filter((f) => /\.[cm]?tsx?$/.test(f) && !/\.d\.[cm]?ts$/.test(f));
  if (roots.length === 0) return;
  const api = apiDeclarations(apiModuleUrl);
  if (!existsSync(api)) throw new Error(`the package's declarations ${api} are missing; build with: npx tsc -p .`);
  const hash = createHash('sha256').update(checkContext(api));
  // By where each source is relative to the first (the file itself), so that the same files in another directory pass at once too.
  const home = dirname(sources[0]!);
  for (const f of [...sources].sort()) hash.update(`\0${relative(home, f)}\0`).update(readFileSync(f));
  const passed = join(cacheDir, `typecheck-${hash.digest('hex').slice(0, 24)}.ok`);
  if (existsSync(passed)) return;

  const ts = (await import('typescript')).default;
  const diagnostics = diagnosticsOf(ts, roots, api);
  if (diagnostics.length === 0) {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(passed, '');
    return;
  }
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : '';
  throw new UsageError(`${describe(ts, diagnostics[0]!)}${more}`);
}

function diagnosticsOf(ts: typeof TS, roots: readonly string[], api: string): readonly TS.Diagnostic[] {
  const { options, errors } = ts.convertCompilerOptionsFromJson(checkOptions, process.cwd());
  if (errors.length) throw new Error(`the type-check options are wrong: ${ts.flattenDiagnosticMessageText(errors[0]!.messageText, ' ')}`);
  const host = ts.createCompilerHost(options, true);
  const cache = ts.createModuleResolutionCache(process.cwd(), (f) => host.getCanonicalFileName(f), options);
  // `daxcheck` is this package, wherever the user's file is: its public API's declarations.
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts, containingSourceFile) => literals.map((lit) => (
    lit.text === 'daxcheck'
      ? { resolvedModule: { resolvedFileName: api, extension: ts.Extension.Dts, isExternalLibraryImport: true } }
      : ts.resolveModuleName(lit.text, containingFile, opts, host, cache, redirected, ts.getModeForUsageLocation(containingSourceFile, lit, opts))));
  const { getSourceFile, fileExists } = host;
  host.getSourceFile = (f, lang, ...rest) => (f === runtimeGlobalsFile ? ts.createSourceFile(f, runtimeGlobals, lang) : getSourceFile.call(host, f, lang, ...rest));
  host.fileExists = (f) => f === runtimeGlobalsFile || fileExists.call(host, f);
  const program = ts.createProgram({ rootNames: [...roots, runtimeGlobalsFile], options, host });
  const mine = (d: TS.Diagnostic) => !d.file || !d.file.isDeclarationFile;
  const all = [
    ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics(),
  ].filter((d) => d.category === ts.DiagnosticCategory.Error && mine(d));
  return ts.sortAndDeduplicateDiagnostics(all);
}

/**
 * One line: `FILE:LINE:COL: message`. Of a chained message (why a type is not
 * assignable, level by level) the first and the innermost level: what did not
 * fit, and the part of it that does not.
 */
function describe(ts: typeof TS, d: TS.Diagnostic): string {
  let text: string;
  if (typeof d.messageText === 'string') {
    text = d.messageText;
  } else {
    let leaf: TS.DiagnosticMessageChain = d.messageText;
    while (leaf.next?.length) leaf = leaf.next[0]!;
    text = leaf === d.messageText ? leaf.messageText : `${d.messageText.messageText} ${leaf.messageText}`;
  }
  text = text.replace(/\s+/g, ' ').trim();
  if (!d.file || d.start === undefined) return text;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${relative(process.cwd(), d.file.fileName)}:${line + 1}:${character + 1}: ${text}`;
}

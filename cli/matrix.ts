// `daxcheck matrix [model...]`: every design against every property, as one
// table per model. This is the README's main job.

import type { Command } from 'commander';
import Table from 'cli-table3';
import pc from 'picocolors';
import { runMatrix, type MatrixCell, type MatrixResult, type RowSection } from '../checker/matrix.js';
import { showConstants } from '../checker/show.js';
import { collectConst } from './constants.js';
import { num, plainChars, progressLine } from './format.js';
import { allModels, collectFile, modelNamed, modelSourceOf, modelWithDesigns } from './registry.js';
import { loadDesignFiles } from './design-file.js';
import { useColor } from './color.js';
import { UsageError } from '../checker/errors.js';
import { ExitCode } from '../checker/result.js';
import { positiveNumber } from './options.js';
import { tablesInLanes } from './matrix-lanes.js';

export function cellText(cell: MatrixCell | undefined, color: boolean): string {
  const c = pc.createColors(color);
  if (!cell) return c.dim('-');
  const len = cell.traceLength !== undefined ? ` (${cell.traceLength})` : '';
  switch (cell.status) {
    case 'holds': return c.green('holds');
    case 'reached': return c.green(`reached${len}`);
    case 'violated': return c.red(`VIOLATED${len}`);
    case 'deadlock': return c.red(`DEADLOCK${len}`);
    case 'vacuous': return c.yellow('vacuous');
    case 'bounded': return c.yellow('bounded');
  }
}

/** A trade-off row is a goal read as what the design gives: reached is "yes", never reached "no". */
export function tradeOffText(cell: MatrixCell | undefined, color: boolean): string {
  const c = pc.createColors(color);
  if (!cell) return c.dim('-');
  if (cell.status === 'reached') return c.cyan(`yes (${cell.traceLength})`);
  if (cell.status === 'vacuous') return c.cyan('no');
  return cellText(cell, color);
}

/** The parts of the table, in order, with the line that says how to read each. */
export const SECTIONS: readonly { readonly section: RowSection; readonly title: string }[] = [
  { section: 'harm', title: 'harm (a violation is a bug)' },
  { section: 'rule', title: 'rules (classify the design; not bugs)' },
  { section: 'trade-off', title: 'trade-offs (yes: gives; no: gives up)' },
  { section: 'goal', title: 'goals (what a pass needs to have seen)' },
  { section: 'deadlock', title: 'deadlock' },
];

/** Breaks a design name at its hyphens so a column stays narrow: `virtiofs-v3-isdax-bug` in two lines. */
export function narrowHeader(name: string, width = 14): string {
  const lines: string[] = [];
  let line = '';
  for (const part of name.split(/(?<=-)/)) {
    if (line && (line + part).length > width) { lines.push(line); line = ''; }
    line += part;
  }
  lines.push(line);
  return lines.join('\n');
}

/** The width the table must fit: the terminal's, else $COLUMNS, else a normal terminal's 80 columns. */
export function outputWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  if (stream.isTTY && stream.columns) return stream.columns;
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env > 0 ? env : 80;
}

// eslint-disable-next-line no-control-regex
const visibleLength = (line: string) => line.replace(/\u001b\[[0-9;]*m/g, '').length;

/**
 * Properties down, designs across: there are more designs than fit side by
 * side with long property names, so when the table is wider than `width`
 * the designs are split over several tables, each repeating the property
 * column (full design names, broken at their hyphens; --json keeps them whole).
 */
export function formatMatrix(m: MatrixResult, color: boolean, width = Infinity): string {
  const c = pc.createColors(color);
  const consts = showConstants(m.constants);
  const reduced = m.runs.find((r) => r.symmetry)?.symmetry;
  const por = m.runs.find((r) => r.partialOrder)?.partialOrder;
  const title = `Verdict table: model ${m.model}${consts ? ` (${consts})` : ''}${reduced ? `, symmetry reduction over ${reduced.sets.join(', ')}` : ''}${por ? `, partial-order reduction over ${por.components}` : ''}`;
  const lines = [c.bold(width === Infinity ? title : wrapWords(title, width))];
  const runOf = new Map(m.runs.map((r) => [r.design, r]));
  const table = (designs: readonly string[]) => {
    const t = new Table({
      head: ['property', ...designs.map((d) => narrowHeader(d))],
      style: { head: [], border: [] }, chars: plainChars(),
    });
    for (const { section, title } of SECTIONS) {
      const rows = m.properties.filter((p) => (m.sections[p] ?? 'harm') === section);
      if (rows.length === 0) continue;
      t.push([{ colSpan: designs.length + 1, content: c.bold(title) }]);
      for (const p of rows) {
        const name = m.strictReadings[p] ? `${p} *` : p;
        t.push([name, ...designs.map((d) => (section === 'trade-off' ? tradeOffText : cellText)(m.cells[d]?.[p], color))]);
      }
    }
    const noteKeys = [...new Set(designs.flatMap((d) => Object.keys(m.notes[d] ?? {})))];
    for (const k of noteKeys) t.push([c.dim(k), ...designs.map((d) => c.dim(m.notes[d]?.[k] ?? '-'))]);
    if (reduced) {
      // Both ways: the orbits stored, and the states they stand for (the count without the reduction).
      t.push([c.dim('distinct orbits'), ...designs.map((d) => c.dim(num(runOf.get(d)?.distinctStates ?? 0)))]);
      t.push([c.dim('states (unreduced)'), ...designs.map((d) => { const n = runOf.get(d)?.symmetry?.representedStates; return c.dim(n === undefined ? '-' : num(n)); })]);
    } else t.push([c.dim('distinct states'), ...designs.map((d) => c.dim(num(runOf.get(d)?.distinctStates ?? 0)))]);
    if (por) t.push([c.dim('states reduced (POR)'), ...designs.map((d) => c.dim(num(runOf.get(d)?.partialOrder?.reducedStates ?? 0)))]);
    t.push([c.dim('seconds'), ...designs.map((d) => c.dim((runOf.get(d)?.seconds ?? 0).toFixed(2)))]);
    return t.toString();
  };
  const fits = (text: string) => text.split('\n').every((l) => visibleLength(l) <= width);
  // as many designs per table as fit (at least one)
  let group: string[] = [];
  let shown = '';
  const tables: string[] = [];
  for (const d of m.designs) {
    const next = table([...group, d]);
    if (group.length > 0 && !fits(next)) { tables.push(shown); group = [d]; shown = table(group); } else { group.push(d); shown = next; }
  }
  if (group.length > 0) tables.push(shown);
  lines.push(tables.join('\n\n'));
  const strict = m.properties.filter((p) => m.strictReadings[p]).map((p) => `* ${p} is a strict reading: ${m.strictReadings[p]}`);
  const legend = [
    ...strict,
    'holds: checked exhaustively; VIOLATED (n): shortest counterexample has n steps; reached (n): goal witnessed in n steps;',
    'vacuous: passes only because a goal it depends on (or a leads-to\'s trigger) is never reached (or, for a goal, it is never reached); bounded: search cut short.',
    ...(m.designs.some((d) => m.notes[d]?.cut) ? ['cut: how the design\'s steps were cut (--const cut=locks|atomic): locks = the ioctl\'s check and its flip (for a design that checks) and a mkwrite fault\'s mm and filesystem halves are separate steps with the kernel\'s locks as state (", ->mmap": the design\'s lock keeps mmap out too); atomic (exact) = S_DAX changes only at iget, where the cut cannot matter; atomic (no locks) = a baseline that protects nothing with a lock.'] : []),
    `${m.designs.length} designs in ${m.seconds.toFixed(1)} s. Show a cell's trace: daxcheck check ${m.model} --design <design> --property <property>`,
  ];
  for (const l of legend) lines.push(c.dim(width === Infinity ? l : wrapWords(l, width)));
  return lines.join('\n');
}

/** Breaks a line of prose at spaces so that no line is longer than `width` (a word longer than that stays whole). */
export function wrapWords(text: string, width: number): string {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && (line + ' ' + w).length > width) { out.push(line); line = w; } else line = line ? `${line} ${w}` : w;
  }
  out.push(line);
  return out.join('\n');
}

export function registerMatrix(program: Command): void {
  program.command('matrix [models...]')
    .description('check every design of each model (default: every built-in model) and print the verdict table')
    .option('--const <NAME=VALUE>', 'set a constant (repeatable; needs exactly one model)', collectConst)
    .option('--design <D>', 'only these designs (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--max-seconds <S>', 'time limit per design')
    .option('--json', 'print one JSON object instead of tables')
    .option('--por', 'partial-order reduction over the components each model declares (breadth-first, one thread); trace lengths are then not the shortest')
    .option('--symmetry', 'symmetry reduction over the index sets each model declares interchangeable; the table gives the orbits and the states they stand for')
    .option('--design-file <FILE>', 'add the designs of a TypeScript or JavaScript file as columns (repeatable; needs exactly one model)', collectFile)
    .option('--model-file <FILE>', 'load a whole model from a TypeScript or JavaScript file (repeatable); name it as the model', collectFile)
    .action(async (names: string[], o: { const?: Record<string, string>; design?: string[]; maxSeconds?: string; json?: boolean; designFile?: string[]; modelFile?: string[]; symmetry?: boolean; por?: boolean }) => {
      if ((o.designFile || o.modelFile) && names.length !== 1) throw new UsageError(`--${o.designFile ? 'design' : 'model'}-file needs exactly one model, e.g. daxcheck matrix dax --design-file my-design.ts`);
      const withFiles = o.designFile || o.modelFile ? modelWithDesigns(names[0]!, await loadDesignFiles(o.designFile, o.modelFile)) : undefined;
      const chosen = withFiles ? [withFiles.model] : names.length ? names.map(modelNamed) : allModels();
      if (o.const && chosen.length !== 1) throw new UsageError('--const needs exactly one model, e.g. daxcheck matrix dax --const files=2');
      for (const d of o.design ?? []) {
        if (chosen.length !== 1 || !(d in chosen[0]!.designs)) {
          throw new UsageError(`unknown design '${d}'; designs of ${chosen.map((m) => m.name).join(', ')}: ${chosen.flatMap((m) => Object.keys(m.designs)).join(', ')}`);
        }
      }
      const color = useColor(process.stdout);
      const maxSeconds = positiveNumber('--max-seconds', o.maxSeconds);
      const show = (m: MatrixResult) => {
        if (o.por && !m.runs.some((r) => r.partialOrder)) process.stderr.write(`note: --por: model ${m.model} declares no components, so nothing is reduced\n`);
        if (o.symmetry && !m.runs.some((r) => r.symmetry)) process.stderr.write(`note: --symmetry: model ${m.model} declares no interchangeable index sets, so nothing is reduced\n`);
        if (!o.json) process.stdout.write(formatMatrix(m, color, outputWidth()) + '\n\n');
      };
      // Several built-in models (npm start): one table per thread at a time (matrix-lanes.ts).
      const several = !withFiles && chosen.length > 1;
      const results: MatrixResult[] = several
        ? await tablesInLanes(chosen.map((m) => m.name), { maxSeconds, ...(o.symmetry ? { symmetry: true } : {}), ...(o.por ? { por: true } : {}) }, !o.json, show)
        : [];
      if (!several) for (const model of chosen) {
        const m = runMatrix(model, {
          designs: o.design, constants: o.const,
          search: { maxSeconds, ...(o.symmetry ? { symmetry: true } : {}), ...(o.por ? { por: true } : {}), modelSource: withFiles?.source ?? modelSourceOf(model.name), onProgress: (p) => process.stderr.write(`  ${model.name}: ${progressLine(p)}\n`) },
          onDesign: o.json ? undefined : (d, r) => process.stderr.write(`  checked ${model.name} / ${d}: ${num(r.distinctStates)} states, ${r.seconds.toFixed(2)} s\n`),
        });
        results.push(m);
        show(m);
      }
      // The violations are the table's content, and so are the cells a model's
      // own state constraint bounds; a limit that cut a run short is not.
      const cutShort = results.some((m) => m.runs.some((r) => r.cutShortBy === 'time' || r.cutShortBy === 'memory' || r.cutShortBy === 'interrupted'));
      if (cutShort) process.exitCode = ExitCode.cutShort;
      if (o.json) {
        process.stdout.write(JSON.stringify(results.map((m) => ({
          model: m.model, constants: m.constants, designs: m.designs, properties: m.properties,
          sections: m.sections, strictReadings: m.strictReadings, notes: m.notes, cells: m.cells, seconds: m.seconds,
          runs: m.runs.map((r) => ({ design: r.design, complete: r.complete, distinctStates: r.distinctStates, statesGenerated: r.statesGenerated, depth: r.depth, seconds: r.seconds, ...(r.symmetry ? { symmetry: r.symmetry } : {}), ...(r.partialOrder ? { partialOrder: r.partialOrder } : {}) })),
        }))) + '\n');
      }
    });
}


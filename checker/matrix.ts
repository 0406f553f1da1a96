// The verdict table: every design of a model checked against every property,
// each run exhaustive with --continue semantics so every violation gets its
// own shortest trace.

import { compile } from './compile.js';
import type { ModelDef, PropertySection } from './model.js';
import type { CheckResult, PropertyStatus } from './result.js';
import { check, type SearchOptions } from './search.js';

export interface MatrixCell {
  readonly status: PropertyStatus | 'deadlock';
  /** Steps in the shortest counterexample (or witness), when there is one. */
  readonly traceLength?: number;
}

/**
 * Where a row belongs: `harm` (a violation is a bug), `rule` (a violation
 * classifies the design), `trade-off` (a goal: what the design gives or gives
 * up), `goal` (a witness that a pass is not vacuous), `deadlock`.
 */
export type RowSection = PropertySection | 'goal' | 'deadlock';

export interface MatrixResult {
  readonly model: string;
  readonly constants: Readonly<Record<string, number | string>>;
  readonly designs: readonly string[];
  readonly properties: readonly string[];
  readonly sections: Readonly<Record<string, RowSection>>;
  /** Properties that are a strict reading of their source: the reading and its source. */
  readonly strictReadings: Readonly<Record<string, string>>;
  /** Per design, facts its verdicts depend on (ModelParts.notes: e.g. the cut it was checked with). */
  readonly notes: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly cells: Readonly<Record<string, Readonly<Record<string, MatrixCell>>>>;
  readonly runs: readonly CheckResult[];
  readonly seconds: number;
}

export function runMatrix(
  model: ModelDef<any, any>,
  opts: { designs?: readonly string[]; constants?: Record<string, string | number>; search?: SearchOptions; onDesign?: (d: string, r: CheckResult) => void } = {},
): MatrixResult {
  const t0 = performance.now();
  const designs = opts.designs ?? Object.keys(model.designs);
  const runs: CheckResult[] = [];
  const cells: Record<string, Record<string, MatrixCell>> = {};
  const props: string[] = [];
  const sections: Record<string, RowSection> = {};
  const strictReadings: Record<string, string> = {};
  const notes: Record<string, Record<string, string>> = {};
  for (const d of designs) {
    const cm = compile(model, d, opts.constants ?? {});
    notes[d] = { ...cm.notes };
    for (const { name, def } of [...cm.invariants, ...cm.actionProperties]) {
      sections[name] ??= def.section ?? 'harm';
      if (def.strictReading) strictReadings[name] ??= def.strictReading;
    }
    for (const { name, def } of cm.goals) sections[name] ??= def.section === 'trade-off' ? 'trade-off' : 'goal';
    const r = check(cm, { ...opts.search, continueAfterViolation: true });
    runs.push(r);
    opts.onDesign?.(d, r);
    const row: Record<string, MatrixCell> = {};
    for (const p of r.properties) {
      if (!props.includes(p.name)) props.push(p.name);
      row[p.name] = p.trace ? { status: p.status, traceLength: p.trace.steps.length - 1 } : { status: p.status };
    }
    if (r.deadlock) {
      if (!props.includes('Deadlock')) props.push('Deadlock');
      sections.Deadlock = 'deadlock';
      row.Deadlock = { status: 'deadlock', traceLength: r.deadlock.trace.steps.length - 1 };
    }
    cells[d] = row;
  }
  return {
    model: model.name,
    constants: runs[0]?.constants ?? {},
    designs, properties: props, sections, strictReadings, notes, cells, runs,
    seconds: (performance.now() - t0) / 1000,
  };
}

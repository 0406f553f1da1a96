// Shared by the dax tests: the verdict table as plain words, and the shortest
// trace of one cell.

import { compile } from '../checker/compile.js';
import { runMatrix, type MatrixCell } from '../checker/matrix.js';
import { check } from '../checker/search.js';
import type { Trace } from '../checker/result.js';
import { daxModel } from '../spec/dax/index.js';

export const holds = 'holds';
export const vacuous = 'vacuous';
export const violated = (steps: number) => `violated (${steps})`;
export const reached = (steps: number) => `reached (${steps})`;

export function cellWord(c: MatrixCell | undefined): string {
  if (!c) return 'missing';
  if (c.status === 'violated') return violated(c.traceLength!);
  if (c.status === 'reached') return reached(c.traceLength!);
  return c.status;
}

export type Row = Record<string, string>;

/** The verdict table in words, with each design's state count and seconds on the side. */
export function verdicts(constants: Record<string, string | number> = {}, designs?: readonly string[]) {
  const m = runMatrix(daxModel, { constants, designs });
  const table: Record<string, Row> = {};
  for (const d of m.designs) {
    table[d] = {};
    for (const p of m.properties) table[d]![p] = cellWord(m.cells[d]![p]);
  }
  return { table, matrix: m };
}

/** The shortest counterexample of one property (or witness of one goal). */
export function shortestTrace(design: string, property: string, constants: Record<string, string | number> = {}): Trace {
  const r = check(compile(daxModel, design, constants), { properties: [property], checkDeadlock: false });
  const p = r.properties.find((x) => x.name === property)!;
  if (!p.trace) throw new Error(`${design} / ${property}: ${p.status}, no trace`);
  return p.trace;
}

export const labels = (t: Trace) => t.steps.map((s) => s.label);
export const lastState = (t: Trace) => t.steps[t.steps.length - 1]!.state as Record<string, unknown[]>;

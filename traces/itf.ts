// The Informal Trace Format (ITF) of Apalache and Quint, ADR-015: its values
// and shapes, shared by itf-read.ts (JSON -> ITF) and itf-write.ts (ITF ->
// JSON). What a value means for a daxcheck model is decode.ts's and
// encode.ts's business; these files know only ITF's own shapes.
//
// Values are kept in ITF's vocabulary so that a trace written by another tool
// survives a read/write round trip unchanged: integers are bigints (ITF allows
// `{"#bigint": "-12"}` or a plain JSON integer), sets, maps and tuples are
// classes, records are plain objects, lists are arrays.

import { UsageError } from '../checker/errors.js';

export class ItfTuple { constructor(readonly items: readonly ItfValue[]) {} }
export class ItfSet { constructor(readonly items: readonly ItfValue[]) {} }
export class ItfMap { constructor(readonly entries: readonly (readonly [ItfValue, ItfValue])[]) {} }
/** What a tool could not serialize (ITF's `#unserializable`); kept as its text. */
export class ItfUnserializable { constructor(readonly text: string) {} }
export interface ItfRecord { readonly [field: string]: ItfValue }

export type ItfValue = boolean | string | bigint | readonly ItfValue[] | ItfTuple | ItfSet | ItfMap | ItfUnserializable | ItfRecord;

export interface ItfState {
  /** The state's `#meta` object ({} when absent). */
  readonly meta: Readonly<Record<string, unknown>>;
  /** Every variable of `vars`, plus (in state 0 only) the trace's `params`. */
  readonly values: Readonly<Record<string, ItfValue>>;
}

export interface ItfTrace {
  readonly meta: Readonly<Record<string, unknown>>;
  readonly params: readonly string[];
  readonly vars: readonly string[];
  readonly states: readonly ItfState[];
  /** Index of the state the lasso's loop returns to. */
  readonly loop?: number;
}

/** A malformed trace; the message names the step and the field. Bad input, so exit 2. */
export class ItfError extends UsageError {
  override name = 'ItfError';
}

export const ITF_DESCRIPTION_URL = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

export function isRecord(v: ItfValue): v is ItfRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** A value as a person reads it, in the TLA+ habit: {a, b} for sets, <<a, b>> for tuples, a :> b for maps. */
export function showItf(v: ItfValue): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(showItf).join(', ')}]`;
  if (v instanceof ItfTuple) return `<<${v.items.map(showItf).join(', ')}>>`;
  if (v instanceof ItfSet) return `{${v.items.map(showItf).join(', ')}}`;
  if (v instanceof ItfMap) return `(${v.entries.map(([k, x]) => `${showItf(k)} :> ${showItf(x)}`).join(' @@ ') || ''})`;
  if (v instanceof ItfUnserializable) return `<${v.text}>`;
  return `[${Object.entries(v as ItfRecord).map(([k, x]) => `${k} |-> ${showItf(x)}`).join(', ')}]`;
}

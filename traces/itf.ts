// The Informal Trace Format (ITF) of Apalache and Quint, ADR-015: reading and
// writing the JSON, and nothing else. What a value means for a daxcheck model
// is codec.ts's business; this file knows only ITF's own shapes.
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

// ---- reading ----------------------------------------------------------------

export function parseItf(text: string, source = 'trace'): ItfTrace {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ItfError(`${source}: not JSON (${(e as Error).message}); an ITF trace is a JSON object with "vars" and "states"`);
  }
  return itfFromJson(json, source);
}

export function itfFromJson(json: unknown, source = 'trace'): ItfTrace {
  const fail = (msg: string): never => { throw new ItfError(`${source}: ${msg}`); };
  if (!isPlainObject(json)) return fail('expected a JSON object with "vars" and "states" (ITF, ADR-015)');
  const meta = json['#meta'] ?? {};
  if (!isPlainObject(meta)) fail('"#meta" must be an object');
  const vars = stringList(json.vars, '"vars"', fail, true);
  const params = json.params === undefined ? [] : stringList(json.params, '"params"', fail, false);
  for (const k of Object.keys(json)) {
    if (!['#meta', 'params', 'vars', 'states', 'loop'].includes(k)) fail(`unknown top-level field "${k}" (ITF has #meta, params, vars, states, loop)`);
  }
  if (!Array.isArray(json.states)) return fail('"states" must be a list of states');
  if (json.states.length === 0) fail('"states" is empty: a trace has at least its initial state');
  const states = json.states.map((raw: unknown, i: number): ItfState => {
    const at = `step ${i}`;
    if (!isPlainObject(raw)) return fail(`${at}: a state must be an object of variables`);
    const smeta = raw['#meta'] ?? {};
    if (!isPlainObject(smeta)) fail(`${at}, field #meta: must be an object`);
    const values: Record<string, ItfValue> = {};
    for (const v of vars) {
      if (!(v in raw)) fail(`${at}, field ${v}: missing (every state sets every variable of "vars")`);
      values[v] = valueFromJson(raw[v], `${at}, field ${v}`, fail);
    }
    for (const k of Object.keys(raw)) {
      if (k === '#meta' || vars.includes(k)) continue;
      if (i === 0 && params.includes(k)) { values[k] = valueFromJson(raw[k], `${at}, parameter ${k}`, fail); continue; }
      fail(`${at}, field ${k}: not a variable of "vars" (${vars.join(', ')})${i === 0 ? ' nor of "params"' : ''}`);
    }
    if (i === 0) for (const p of params) if (!(p in raw)) fail(`${at}, parameter ${p}: missing (the initial state sets every name of "params")`);
    return { meta: smeta as Record<string, unknown>, values };
  });
  let loop: number | undefined;
  if (json.loop !== undefined && json.loop !== null) {
    if (!Number.isInteger(json.loop) || (json.loop as number) < 0 || (json.loop as number) >= states.length) {
      fail(`"loop" must be a state index in 0..${states.length - 1}, got ${JSON.stringify(json.loop)}`);
    }
    loop = json.loop as number;
  }
  return { meta: meta as Record<string, unknown>, params, vars, states, ...(loop !== undefined ? { loop } : {}) };
}

function valueFromJson(x: unknown, where: string, fail: (m: string) => never): ItfValue {
  if (typeof x === 'boolean' || typeof x === 'string') return x;
  if (typeof x === 'number') {
    if (!Number.isSafeInteger(x)) fail(`${where}: ${x} is not an integer ITF can carry as a JSON number (use {"#bigint": "..."})`);
    return BigInt(x);
  }
  if (Array.isArray(x)) return x.map((e, i) => valueFromJson(e, `${where}[${i}]`, fail));
  if (!isPlainObject(x)) return fail(`${where}: ${JSON.stringify(x)} is not an ITF value`);
  const keys = Object.keys(x);
  const tagged = keys.filter((k) => k.startsWith('#'));
  if (tagged.length === 0) {
    const out: Record<string, ItfValue> = {};
    for (const k of keys) out[k] = valueFromJson(x[k], `${where}.${k}`, fail);
    return out;
  }
  if (keys.length !== 1) fail(`${where}: an object with ${tagged[0]} must have no other field, got ${keys.join(', ')}`);
  const tag = keys[0]!;
  const body = x[tag];
  switch (tag) {
    case '#bigint':
      if (typeof body !== 'string' || !/^-?[0-9]+$/.test(body)) fail(`${where}: #bigint takes a string of digits like "-12", got ${JSON.stringify(body)}`);
      return BigInt(body as string);
    case '#tup':
    case '#set': {
      if (!Array.isArray(body)) fail(`${where}: ${tag} takes a list, got ${JSON.stringify(body)}`);
      const items = (body as unknown[]).map((e, i) => valueFromJson(e, `${where}${tag}[${i}]`, fail));
      return tag === '#tup' ? new ItfTuple(items) : new ItfSet(items);
    }
    case '#map': {
      if (!Array.isArray(body)) fail(`${where}: #map takes a list of [key, value] pairs, got ${JSON.stringify(body)}`);
      return new ItfMap((body as unknown[]).map((p, i) => {
        if (!Array.isArray(p) || p.length !== 2) fail(`${where}#map[${i}]: expected a [key, value] pair, got ${JSON.stringify(p)}`);
        const pair = p as unknown[];
        return [valueFromJson(pair[0], `${where}#map[${i}] key`, fail), valueFromJson(pair[1], `${where}#map[${i}] value`, fail)] as const;
      }));
    }
    case '#unserializable':
      if (typeof body !== 'string') fail(`${where}: #unserializable takes a string`);
      return new ItfUnserializable(body as string);
    default:
      return fail(`${where}: unknown ITF tag ${tag} (ITF has #bigint, #tup, #set, #map, #unserializable)`);
  }
}

function stringList(x: unknown, name: string, fail: (m: string) => never, required: boolean): string[] {
  if (x === undefined && !required) return [];
  if (!Array.isArray(x) || x.some((e) => typeof e !== 'string')) return fail(`${name} must be a list of names`);
  const dup = x.find((e, i) => x.indexOf(e) !== i);
  if (dup !== undefined) fail(`${name} names ${dup} twice`);
  return x as string[];
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

// ---- writing ------------------------------------------------------------------

export function valueToJson(v: ItfValue): unknown {
  if (typeof v === 'bigint') return { '#bigint': v.toString() };
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(valueToJson);
  if (v instanceof ItfTuple) return { '#tup': v.items.map(valueToJson) };
  if (v instanceof ItfSet) return { '#set': v.items.map(valueToJson) };
  if (v instanceof ItfMap) return { '#map': v.entries.map(([k, x]) => [valueToJson(k), valueToJson(x)]) };
  if (v instanceof ItfUnserializable) return { '#unserializable': v.text };
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as ItfRecord)) out[k] = valueToJson(x);
  return out;
}

export function itfToJson(t: ItfTrace): Record<string, unknown> {
  return {
    '#meta': t.meta,
    ...(t.params.length ? { params: t.params } : {}),
    vars: t.vars,
    states: t.states.map((s) => {
      const out: Record<string, unknown> = { '#meta': s.meta };
      for (const [k, v] of Object.entries(s.values)) out[k] = valueToJson(v);
      return out;
    }),
    ...(t.loop !== undefined ? { loop: t.loop } : {}),
  };
}

/** One state a line, so that two traces diff line by line and a step is easy to find. */
export function formatItf(t: ItfTrace): string {
  const json = itfToJson(t);
  const lines = ['{'];
  const keys = Object.keys(json);
  keys.forEach((k, i) => {
    const comma = i < keys.length - 1 ? ',' : '';
    if (k === 'states') {
      const states = json.states as unknown[];
      lines.push('  "states": [');
      states.forEach((s, j) => lines.push(`    ${JSON.stringify(s)}${j < states.length - 1 ? ',' : ''}`));
      lines.push(`  ]${comma}`);
    } else {
      lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(json[k])}${comma}`);
    }
  });
  lines.push('}');
  return lines.join('\n') + '\n';
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

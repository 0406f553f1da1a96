// Reading ITF's JSON (ADR-015) into ITF values, with a message naming the step
// and the field for anything malformed. Integers become bigints, whether
// written as {"#bigint": "-12"} or as a plain JSON integer.

import { type ItfState, type ItfTrace, type ItfValue, ItfError, ItfMap, ItfSet, ItfTuple, ItfUnserializable } from './itf.js';

export function parseItf(text: string, source = 'trace'): ItfTrace {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ItfError(`${source}: not JSON (${oneLine((e as Error).message)}); an ITF trace is a JSON object with "vars" and "states"`);
  }
  return itfFromJson(json, source);
}

function itfFromJson(json: unknown, source = 'trace'): ItfTrace {
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

/** JSON.parse quotes the text near the error: a message stays one line, and an invisible character is shown by its code. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

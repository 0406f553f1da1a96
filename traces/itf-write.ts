// Writing ITF values as ITF's JSON (ADR-015): integers as {"#bigint": "n"},
// and one state a line.

import { type ItfRecord, type ItfTrace, type ItfValue, ItfMap, ItfSet, ItfTuple, ItfUnserializable } from './itf.js';

function valueToJson(v: ItfValue): unknown {
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

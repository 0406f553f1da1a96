// One recorded ITF value read as the model's plain value of a domain,
// accepting the other tools' spellings codec.ts describes: an index as a
// 1-based integer, a function as a list or as a map keyed by <<p, f>>
// tuples, a boolean function as the set of indices where it is true.

import { type Domain, describeDomain, isScalar, parseScalar, showScalar } from '../checker/domain.js';
import { type ItfRecord, type ItfValue, ItfError, ItfMap, ItfSet, ItfTuple, isRecord, showItf } from './itf.js';

export function itfToPlain(d: Domain, v: ItfValue, where: string): unknown {
  const bad = (what: string): never => { throw new ItfError(`${where}: expected ${what}, got ${showItf(v)}`); };
  if (isScalar(d)) {
    const raw = typeof v === 'bigint' ? (d.kind === 'index' ? `${d.prefix}${v}` : Number(v)) : v;
    const n = typeof raw === 'boolean' || typeof raw === 'string' || typeof raw === 'number' ? parseScalar(d, raw) : undefined;
    if (n === undefined || (d.kind === 'bool' && typeof v !== 'boolean')) return bad(describeDomain(d));
    return showScalar(d, n!);
  }
  if (d.kind === 'record') {
    if (!isRecord(v)) return bad(`a record {${Object.keys(d.fields).join(', ')}}`);
    const r = v as ItfRecord;
    for (const k of Object.keys(r)) if (!(k in d.fields)) throw new ItfError(`${where}.${k}: no such field (expected ${Object.keys(d.fields).join(', ')})`);
    const out: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(d.fields)) {
      if (!(k in r)) throw new ItfError(`${where}.${k}: missing`);
      out[k] = itfToPlain(f, r[k]!, `${where}.${k}`);
    }
    return out;
  }
  // A function over an index set.
  const { index, element } = d;
  const name = (i: number) => `${where}[${index.prefix}${i + 1}]`;
  const keyOf = (k: ItfValue): number => {
    const raw = typeof k === 'bigint' ? `${index.prefix}${k}` : k;
    const n = typeof raw === 'string' ? parseScalar(index, raw) : undefined;
    if (n === undefined) throw new ItfError(`${where}: key ${showItf(k)} is not in ${describeDomain(index)}`);
    return n;
  };
  let grouped = groupTupleKeys(v);
  // An empty relation: no pair is in it, so every row is the empty set.
  if (grouped instanceof ItfSet && grouped.items.length === 0 && element.kind === 'array') grouped = new ItfSetOfGroups([]);
  if (Array.isArray(grouped)) {
    if (grouped.length !== index.size) return bad(`a function over ${describeDomain(index)} (a map, or a list of ${index.size})`);
    return grouped.map((e, i) => itfToPlain(element, e, name(i)));
  }
  if (grouped instanceof ItfSet && element.kind === 'bool') {
    const members = new Set(grouped.items.map(keyOf));
    return Array.from({ length: index.size }, (_, i) => members.has(i));
  }
  if (grouped instanceof ItfMap) {
    const rowDefault = grouped instanceof ItfSetOfGroups ? new ItfSet([]) : undefined;
    const slots: (ItfValue | undefined)[] = new Array(index.size).fill(undefined);
    for (const [k, x] of grouped.entries) {
      const i = keyOf(k);
      if (slots[i] !== undefined) throw new ItfError(`${name(i)}: the map sets this key twice`);
      slots[i] = x;
    }
    if (rowDefault) slots.forEach((x, i) => { if (x === undefined) slots[i] = rowDefault; });
    const hole = slots.findIndex((x) => x === undefined);
    if (hole >= 0) throw new ItfError(`${name(hole)}: missing (a function over ${describeDomain(index)} sets every key)`);
    return slots.map((x, i) => itfToPlain(element, x!, name(i)));
  }
  return bad(`a function over ${describeDomain(index)} as {"#map": [[key, value], ...]}${element.kind === 'bool' ? ', a #set of keys' : ''} or a list`);
}

/** `(<<p1, f1>> :> x) @@ ...` becomes `p1 :> (f1 :> x)`, so a map keyed by pairs reads as nested functions. */
function groupTupleKeys(v: ItfValue): ItfValue {
  const firstKey = (k: ItfValue) => (k instanceof ItfTuple && k.items.length >= 2 ? k : undefined);
  const rest = (t: ItfTuple): ItfValue => (t.items.length === 2 ? t.items[1]! : new ItfTuple(t.items.slice(1)));
  if (v instanceof ItfMap && v.entries.length > 0 && v.entries.every(([k]) => firstKey(k))) {
    const groups = new Map<string, [ItfValue, [ItfValue, ItfValue][]]>();
    for (const [k, x] of v.entries) {
      const t = k as ItfTuple;
      const key = showItf(t.items[0]!);
      if (!groups.has(key)) groups.set(key, [t.items[0]!, []]);
      groups.get(key)![1].push([rest(t), x]);
    }
    return new ItfMap([...groups.values()].map(([k, es]) => [k, new ItfMap(es)] as const));
  }
  if (v instanceof ItfSet && v.items.length > 0 && v.items.every((k) => firstKey(k))) {
    const groups = new Map<string, [ItfValue, ItfValue[]]>();
    for (const t of v.items as ItfTuple[]) {
      const key = showItf(t.items[0]!);
      if (!groups.has(key)) groups.set(key, [t.items[0]!, []]);
      groups.get(key)![1].push(rest(t));
    }
    // A set of pairs is the relation; keys absent from it map to the empty set.
    return new ItfSetOfGroups([...groups.values()]);
  }
  return v;
}

/** Internal: a boolean matrix given as a set of tuples, grouped by the first component. */
class ItfSetOfGroups extends ItfMap {
  constructor(groups: [ItfValue, ItfValue[]][]) {
    super(groups.map(([k, items]) => [k, new ItfSet(items)] as const));
  }
}


// Finite domains for state variables and action parameters.
//
// Every domain is finite so that the engine can give each scalar a slot in a
// flat integer vector and bound-check it (a schema violation is an error, not
// a silently wrapped value). Scalars are stored as integers: booleans as 0/1,
// enum values as their index, integers as themselves.

export interface BoolDomain {
  readonly kind: 'bool';
}

export interface EnumBase<V extends string = string> {
  readonly kind: 'enum';
  readonly values: readonly V[];
}

/** An enum domain also names its values: `Vma.DAX` is the stored number of 'DAX'. */
export type EnumDomain<V extends string = string> = EnumBase<V> & { readonly [K in V]: number };

export interface IntDomain {
  readonly kind: 'int';
  readonly lo: number;
  readonly hi: number;
}

/**
 * A finite index set such as the files 1..F or the processes 1..P. Stored
 * 0-based; printed with its prefix and 1-based (`f1`, `p2`) as TLA+ users
 * write them.
 */
export interface IndexSet {
  readonly kind: 'index';
  readonly prefix: string;
  readonly size: number;
}

export type ScalarDomain = BoolDomain | EnumBase | IntDomain | IndexSet;

export interface ArrayDomain<E extends Domain = Domain> {
  readonly kind: 'array';
  readonly index: IndexSet;
  readonly element: E;
}

export interface RecordDomain<F extends Record<string, Domain> = Record<string, Domain>> {
  readonly kind: 'record';
  readonly fields: F;
}

export type Domain = ScalarDomain | ArrayDomain | RecordDomain;

export const bool: BoolDomain = Object.freeze({ kind: 'bool' as const });

export function enumOf<const V extends string>(...values: V[]): EnumDomain<V> {
  if (values.length === 0) throw new Error('enumOf needs at least one value');
  if (new Set(values).size !== values.length) throw new Error(`enumOf: duplicate value in ${values.join(', ')}`);
  const d: Record<string, unknown> = { kind: 'enum', values: Object.freeze([...values]) };
  values.forEach((v, i) => {
    if (v === 'kind' || v === 'values') throw new Error(`enumOf: '${v}' is reserved`);
    d[v] = i;
  });
  return Object.freeze(d) as EnumDomain<V>;
}

export function int(lo: number, hi: number): IntDomain {
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo > hi) throw new Error(`int(${lo}, ${hi}): need integers lo <= hi`);
  return Object.freeze({ kind: 'int' as const, lo, hi });
}

export function indexSet(prefix: string, size: number): IndexSet {
  if (!Number.isInteger(size) || size < 1) throw new Error(`indexSet(${prefix}): size must be a positive integer, got ${size}`);
  return Object.freeze({ kind: 'index' as const, prefix, size });
}

export function arrayOf<E extends Domain>(index: IndexSet, element: E): ArrayDomain<E> {
  return Object.freeze({ kind: 'array' as const, index, element });
}

export function record<F extends Record<string, Domain>>(fields: F): RecordDomain<F> {
  return Object.freeze({ kind: 'record' as const, fields: Object.freeze({ ...fields }) });
}

export function isScalar(d: Domain): d is ScalarDomain {
  return d.kind !== 'array' && d.kind !== 'record';
}

/** Smallest and largest stored integer of a scalar domain. */
export function scalarBounds(d: ScalarDomain): [number, number] {
  switch (d.kind) {
    case 'bool': return [0, 1];
    case 'enum': return [0, d.values.length - 1];
    case 'int': return [d.lo, d.hi];
    case 'index': return [0, d.size - 1];
  }
}

/** ∀ i ∈ set: holds(i), as a plain loop (no array is built). */
export function forall(set: IndexSet, holds: (i: number) => boolean): boolean {
  for (let i = 0; i < set.size; i++) if (!holds(i)) return false;
  return true;
}

/** ∃ i ∈ set: holds(i), as a plain loop (no array is built). */
export function exists(set: IndexSet, holds: (i: number) => boolean): boolean {
  for (let i = 0; i < set.size; i++) if (holds(i)) return true;
  return false;
}

/** The value as a user reads it: true/false, the enum name, the number, `f2`. */
export function showScalar(d: ScalarDomain, v: number): string | number | boolean {
  switch (d.kind) {
    case 'bool': return v !== 0;
    case 'enum': return d.values[v] ?? `<bad enum ${v}>`;
    case 'int': return v;
    case 'index': return `${d.prefix}${v + 1}`;
  }
}

/** Inverse of showScalar; undefined when the value is not in the domain. */
export function parseScalar(d: ScalarDomain, x: unknown): number | undefined {
  switch (d.kind) {
    case 'bool':
      if (x === true || x === 1 || x === 'true' || x === '1') return 1;
      if (x === false || x === 0 || x === 'false' || x === '0') return 0;
      return undefined;
    case 'enum': {
      const i = typeof x === 'string' ? d.values.indexOf(x) : -1;
      return i >= 0 ? i : undefined;
    }
    case 'int': {
      const n = typeof x === 'number' ? x : typeof x === 'string' && /^-?\d+$/.test(x) ? Number(x) : NaN;
      return Number.isInteger(n) && n >= d.lo && n <= d.hi ? n : undefined;
    }
    case 'index': {
      if (typeof x === 'string' && x.startsWith(d.prefix)) {
        const n = Number(x.slice(d.prefix.length));
        return Number.isInteger(n) && n >= 1 && n <= d.size ? n - 1 : undefined;
      }
      return undefined;
    }
  }
}

/** What a domain accepts, for error messages. */
export function describeDomain(d: Domain): string {
  switch (d.kind) {
    case 'bool': return 'true|false';
    case 'enum': return d.values.join('|');
    case 'int': return `${d.lo}..${d.hi}`;
    case 'index': return `${d.prefix}1..${d.prefix}${d.size}`;
    case 'array': return `array over ${describeDomain(d.index)} of ${describeDomain(d.element)}`;
    case 'record': return `record {${Object.keys(d.fields).join(', ')}}`;
  }
}

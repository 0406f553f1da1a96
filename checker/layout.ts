// The flat layout of a state: every scalar of the schema gets one slot of an
// Int32Array. Models read and write a state through a *view* over that array
// (arrays of scalars are subarrays, records have accessors), so an action's
// guard and effect run on the flat vector with no allocation and no copying.

import {
  type ArrayDomain, type BoolDomain, type Domain, type EnumBase, type IndexSet, type IntDomain,
  type RecordDomain, type ScalarDomain, isScalar, parseScalar, scalarBounds, showScalar, describeDomain,
} from './domain.js';

/**
 * How a model sees a state: numbers for scalars, typed arrays for arrays of scalars.
 * A domain not known to the type system (`any`: a user's design, whose variables are its
 * base's and its own) is seen as `any`, so the design can name its state's type itself.
 */
export type View<D extends Domain> =
  0 extends (1 & D) ? any
  : D extends ArrayDomain<infer E>
    ? E extends ScalarDomain ? Int32Array : ReadonlyArray<View<E>>
    : D extends RecordDomain<infer F>
      ? { -readonly [K in keyof F]: F[K] extends ScalarDomain ? number : View<F[K]> }
      : number;

/** A state as a plain JSON-like value: booleans, enum names, `f1` for indices. */
export type Plain<D extends Domain> =
  D extends BoolDomain ? boolean
    : D extends EnumBase<infer V> ? V
      : D extends IntDomain ? number
        : D extends IndexSet ? string
          : D extends ArrayDomain<infer E> ? Plain<E>[]
            : D extends RecordDomain<infer F> ? { [K in keyof F]: Plain<F[K]> }
              : never;

export class Layout<S extends RecordDomain = RecordDomain> {
  readonly slots: number;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  /** `vma[p1][f2]`, one per slot, for errors and diffs. */
  readonly slotNames: readonly string[];
  readonly slotDomains: readonly ScalarDomain[];
  private readonly recordProtos = new Map<RecordDomain, object>();
  private outOfDomain: ((buf: Int32Array) => boolean) | undefined;

  constructor(readonly schema: S) {
    const names: string[] = [];
    const doms: ScalarDomain[] = [];
    const walk = (d: Domain, path: string): void => {
      if (isScalar(d)) { names.push(path); doms.push(d); return; }
      if (d.kind === 'array') {
        for (let i = 0; i < d.index.size; i++) walk(d.element, `${path}[${d.index.prefix}${i + 1}]`);
        return;
      }
      for (const [k, f] of Object.entries(d.fields)) walk(f, path ? `${path}.${k}` : k);
    };
    walk(schema, '');
    this.slots = names.length;
    this.slotNames = names;
    this.slotDomains = doms;
    this.lo = new Int32Array(doms.map((d) => scalarBounds(d)[0]));
    this.hi = new Int32Array(doms.map((d) => scalarBounds(d)[1]));
  }

  /** A fresh state vector with every slot at its domain's smallest value. */
  blank(): Int32Array {
    return Int32Array.from(this.lo);
  }

  /** The first slot whose value is outside its domain, or -1. */
  firstOutOfDomain(buf: Int32Array): number {
    const { lo, hi, slots } = this;
    for (let i = 0; i < slots; i++) {
      const v = buf[i]!;
      if (v < lo[i]! || v > hi[i]!) return i;
    }
    return -1;
  }

  /**
   * Whether any slot is outside its domain: firstOutOfDomain's answer, as
   * straight-line code generated for this layout. Slots whose domain is
   * 0..2^k-1 (booleans, two- and four-valued enums, most index sets) are
   * checked k bits at a time: the OR of their values has a bit above the
   * k-th only when one of them lies outside (a negative value has them all).
   * Every other slot is compared with its bounds as constants.
   */
  anyOutOfDomain(buf: Int32Array): boolean {
    this.outOfDomain ??= this.makeOutOfDomain();
    return this.outOfDomain(buf);
  }

  private makeOutOfDomain(): (buf: Int32Array) => boolean {
    const byBits = new Map<number, number[]>();
    const tests: string[] = [];
    for (let i = 0; i < this.slots; i++) {
      const lo = this.lo[i]!, hi = this.hi[i]!;
      const bits = 32 - Math.clz32(hi);
      if (lo === 0 && hi < 2 ** 30 && hi === 2 ** bits - 1) byBits.set(bits, [...(byBits.get(bits) ?? []), i]);
      else tests.push(`(b[${i}] < ${lo} || b[${i}] > ${hi})`);
    }
    for (const [bits, slots] of byBits) tests.push(`((${slots.map((i) => `b[${i}]`).join(' | ')}) & ${~(2 ** bits - 1)}) !== 0`);
    // eslint-disable-next-line no-new-func
    return new Function('b', `return ${tests.length ? tests.join(' ||\n  ') : 'false'};`) as (buf: Int32Array) => boolean;
  }

  view(buf: Int32Array): View<S> {
    return this.viewAt(this.schema, buf, 0) as View<S>;
  }

  private viewAt(d: Domain, buf: Int32Array, base: number): unknown {
    if (d.kind === 'array') {
      if (isScalar(d.element)) return buf.subarray(base, base + d.index.size);
      const w = width(d.element);
      return Object.freeze(Array.from({ length: d.index.size }, (_, i) => this.viewAt(d.element, buf, base + i * w)));
    }
    if (d.kind === 'record') {
      const view = Object.create(this.recordProto(d)) as Record<string, unknown>;
      Object.defineProperty(view, '$buf', { value: buf });
      Object.defineProperty(view, '$base', { value: base });
      let off = base;
      for (const [k, f] of Object.entries(d.fields)) {
        if (!isScalar(f)) Object.defineProperty(view, k, { value: this.viewAt(f, buf, off), enumerable: true });
        off += width(f);
      }
      return Object.seal(view);
    }
    throw new Error('a scalar has no view of its own');
  }

  /**
   * Scalar fields of a record are accessors on a shared prototype: cheap, and
   * monomorphic per record type. The prototype depends only on the record's
   * field names and widths, so it is shared by every layout with that record
   * (recordPrototype): a guard or an effect that a model's designs share then
   * sees one hidden class of view in every design, where one prototype per
   * layout made it see a new one per design checked (megamorphic after four).
   */
  private recordProto(d: RecordDomain): object {
    let proto = this.recordProtos.get(d);
    if (!proto) { proto = recordPrototype(d); this.recordProtos.set(d, proto); }
    return proto;
  }

  decode(buf: Int32Array): Plain<S> {
    let i = 0;
    const walk = (d: Domain): unknown => {
      if (isScalar(d)) return showScalar(d, buf[i++]!);
      if (d.kind === 'array') return Array.from({ length: d.index.size }, () => walk(d.element));
      const out: Record<string, unknown> = {};
      for (const [k, f] of Object.entries(d.fields)) out[k] = walk(f);
      return out;
    };
    return walk(this.schema) as Plain<S>;
  }

  /** Writes a plain state into buf; throws naming the first field that does not fit the schema. */
  encode(plain: unknown, buf: Int32Array): void {
    let i = 0;
    const walk = (d: Domain, x: unknown, path: string): void => {
      if (isScalar(d)) {
        const v = parseScalar(d, x);
        if (v === undefined) throw new SchemaError(`${path || 'state'}: ${JSON.stringify(x)} is not in ${describeDomain(d)}`);
        buf[i++] = v;
        return;
      }
      if (d.kind === 'array') {
        if (!Array.isArray(x) || x.length !== d.index.size) {
          throw new SchemaError(`${path}: expected a list of ${d.index.size} (${describeDomain(d.index)}), got ${JSON.stringify(x)?.slice(0, 80)}`);
        }
        x.forEach((e, j) => walk(d.element, e, `${path}[${d.index.prefix}${j + 1}]`));
        return;
      }
      if (typeof x !== 'object' || x === null) throw new SchemaError(`${path || 'state'}: expected a record, got ${JSON.stringify(x)}`);
      const obj = x as Record<string, unknown>;
      for (const k of Object.keys(obj)) {
        if (!(k in d.fields)) throw new SchemaError(`${path ? path + '.' : ''}${k}: no such variable (expected ${Object.keys(d.fields).join(', ')})`);
      }
      for (const [k, f] of Object.entries(d.fields)) {
        if (!(k in obj)) throw new SchemaError(`${path ? path + '.' : ''}${k}: missing`);
        walk(f, obj[k], path ? `${path}.${k}` : k);
      }
    };
    walk(this.schema, plain, '');
  }
}

/** Record prototypes by shape (field names, which are scalars, widths): one per shape in the process. */
const prototypesByShape = new Map<string, object>();

function recordPrototype(d: RecordDomain): object {
  const shape = Object.entries(d.fields).map(([k, f]) => `${JSON.stringify(k)}:${isScalar(f) ? 's' : width(f)}`).join(',');
  let proto = prototypesByShape.get(shape);
  if (proto) return proto;
  proto = {};
  let off = 0;
  for (const [k, f] of Object.entries(d.fields)) {
    if (isScalar(f)) {
      const at = off;
      Object.defineProperty(proto, k, {
        get(this: { $buf: Int32Array; $base: number }) { return this.$buf[this.$base + at]; },
        set(this: { $buf: Int32Array; $base: number }, v: number) { this.$buf[this.$base + at] = v; },
        enumerable: true,
      });
    }
    off += width(f);
  }
  prototypesByShape.set(shape, proto);
  return proto;
}

export class SchemaError extends Error {
  override name = 'SchemaError';
}

/** Number of slots a domain occupies. */
export function width(d: Domain): number {
  if (isScalar(d)) return 1;
  if (d.kind === 'array') return d.index.size * width(d.element);
  let n = 0;
  for (const f of Object.values(d.fields)) n += width(f);
  return n;
}

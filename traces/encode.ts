// Writing a checker trace as ITF: how a model's state, a step's action and
// parameters, and the run's model, design and constants are written.
//
// Encoding choices (the README's section on traces shows them as a table):
// - bool -> JSON boolean; enum value -> string; int -> {"#bigint": "n"};
//   an index (a file, a process) -> its name "f1", "p2".
// - An array over an index set is a TLA+ function, so an ITF map keyed by
//   the index names: {"#map": [["f1", false], ["f2", true]]}.
// - A record is an ITF record (a JSON object).
// - The action taken and its parameters are Quint's model-based-testing
//   variables `mbt::actionTaken` (a string) and `mbt::nondetPicks` (a record of
//   Quint options {"tag": "Some", "value": v}), so Quint's tooling reads them;
//   the step's label is in the state's #meta.
// - Constants are ITF `params`, set in state 0, and repeated in #meta.constants.

import type { CompiledModel, ShownParam } from '../checker/compile.js';
import { type Domain, type ScalarDomain, describeDomain, isScalar, parseScalar, showScalar } from '../checker/domain.js';
import type { InitParamSpec } from '../checker/model.js';
import type { Trace } from '../checker/result.js';
import { showConstants } from '../checker/show.js';
import { type ItfRecord, type ItfState, type ItfTrace, type ItfValue, ITF_DESCRIPTION_URL, ItfMap } from './itf.js';
import { ACTION_VAR, PICKS_VAR, type PropertyKind } from './codec.js';

export interface PropertyInfo {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly doc?: string;
}

export function encodeTrace(trace: Trace, cm: CompiledModel, property?: PropertyInfo): ItfTrace {
  const schema = cm.layout.schema;
  const modelVars = Object.keys(schema.fields);
  const params = Object.keys(cm.constants);
  const violatingStep = property?.kind === 'reachable' ? undefined : trace.violatingStep ?? trace.steps.length - 1;
  const consts = showConstants(cm.constants);
  const meta: Record<string, unknown> = {
    format: 'ITF',
    'format-description': ITF_DESCRIPTION_URL,
    source: `daxcheck model ${cm.model}`,
    description: property
      ? `${property.kind === 'reachable' ? 'witness for goal' : property.kind === 'deadlock' ? 'deadlock' : 'counterexample to'} ${property.kind === 'deadlock' ? '' : property.name} in model ${cm.model}, design ${cm.design} (${consts})`.replace('  ', ' ')
      : `trace of model ${cm.model}, design ${cm.design} (${consts})`,
    model: cm.model,
    design: cm.design,
    constants: cm.constants,
    ...(property ? { property: property.name, propertyKind: property.kind, ...(property.doc ? { propertyDoc: property.doc } : {}) } : {}),
    ...(violatingStep !== undefined && property ? { violatingStep } : {}),
    ...(trace.loopIndex !== undefined ? { loop: trace.loopIndex } : {}),
  };
  const states: ItfState[] = trace.steps.map((s, i) => {
    const values: Record<string, ItfValue> = {};
    if (i === 0) for (const [k, v] of Object.entries(cm.constants)) values[k] = typeof v === 'number' ? BigInt(v) : v;
    const st = s.state as Record<string, unknown>;
    for (const v of modelVars) values[v] = plainToItf(schema.fields[v]!, st[v], `step ${i}, field ${v}`);
    values[ACTION_VAR] = s.action;
    values[PICKS_VAR] = encodePicks(cm.paramDomains(s.action), s.params);
    return { meta: { index: i, label: s.label }, values };
  });
  return { meta, params, vars: [...modelVars, ACTION_VAR, PICKS_VAR], states, ...(trace.loopIndex !== undefined ? { loop: trace.loopIndex } : {}) };
}

function encodePicks(spec: InitParamSpec, shown: Readonly<Record<string, ShownParam>>): ItfRecord {
  const out: Record<string, ItfValue> = {};
  for (const [k, d] of Object.entries(spec)) {
    // A function parameter of an initial state is written as the state's functions are: a map keyed by index names.
    out[k] = { tag: 'Some', value: isScalar(d) ? scalarToItf(d, parseScalar(d, shown[k])!) : plainToItf(d, shown[k], `parameter ${k}`) };
  }
  return out;
}

function scalarToItf(d: ScalarDomain, v: number): ItfValue {
  const shown = showScalar(d, v);
  return typeof shown === 'number' ? BigInt(shown) : shown;
}

/** A decoded state (Layout.decode's plain form) as an ITF value. */
function plainToItf(d: Domain, x: unknown, where: string): ItfValue {
  if (isScalar(d)) {
    const v = parseScalar(d, x);
    if (v === undefined) throw new Error(`${where}: ${JSON.stringify(x)} is not in ${describeDomain(d)}`);
    return scalarToItf(d, v);
  }
  if (d.kind === 'array') {
    const xs = x as unknown[];
    return new ItfMap(xs.map((e, i) => [`${d.index.prefix}${i + 1}`, plainToItf(d.element, e, `${where}[${d.index.prefix}${i + 1}]`)] as const));
  }
  const obj = x as Record<string, unknown>;
  const out: Record<string, ItfValue> = {};
  for (const [k, f] of Object.entries(d.fields)) out[k] = plainToItf(f, obj[k], `${where}.${k}`);
  return out;
}

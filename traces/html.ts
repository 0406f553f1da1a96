// `show --html`: one self-contained page for a trace. A timeline of steps; for
// the selected step, the action (in kernel words), the variables it changed
// and, at the failing step, what the violated property says; and one lane per
// file, each variable of that file a row and each step a column, so that one
// sees which file's mode changed when. No external resource: the data is
// embedded as JSON and drawn by the page's script. This file computes the
// data; the page (markup, style and script) is traces/page/trace-page.html.

import type { RecordDomain } from '../checker/domain.js';
import type { Presentation } from '../checker/presentation.js';
import type { Trace } from '../checker/result.js';
import { showConstants, showValue } from '../checker/show.js';
import type { SavedTrace } from './codec.js';
import { changes, flattenNamed } from './flatten.js';
import { indexSets } from './index-sets.js';
import { readShipped, replaceLine } from './shipped.js';
import { kernelWords } from './words.js';

export interface HtmlInfo {
  readonly saved: SavedTrace;
  readonly model: string;
  readonly design: string;
  readonly constants: Readonly<Record<string, number | string>>;
  readonly schema: RecordDomain;
  /** The model's presentation (ModelDef.presentation): kernel words, and which index set forms the lanes. */
  readonly presentation?: Presentation;
}

interface PageStep {
  index: number;
  label: string;
  words: string | null;
  changed: { variable: string; before: string; after: string }[];
}

interface PageData {
  title: string;
  subtitle: string;
  property: { name: string; kind: string; doc: string; step: number } | null;
  loop: number | null;
  steps: PageStep[];
  lanes: { name: string; variables: string[] }[];
  /** The model's I/O modes; a value of the k-th is drawn with class mode-k. */
  modes: { name: string; values: string[] }[];
  /** values[variable][step] */
  values: Record<string, string[]>;
}

export function renderHtml(trace: Trace, info: HtmlInfo): string {
  return page(pageData(trace, info));
}

function pageData(trace: Trace, info: HtmlInfo): PageData {
  const flats = trace.steps.map((s) => flattenNamed(s.state, trace.variables));
  const variables = [...flats[0]!.keys()];
  const values: Record<string, string[]> = {};
  for (const v of variables) values[v] = flats.map((f) => showValue(f.get(v)));
  const steps: PageStep[] = trace.steps.map((s, i) => ({
    index: i,
    label: s.label,
    words: kernelWords(info.presentation, trace, i) ?? null,
    changed: i === 0 ? [] : changes(trace.steps[i - 1]!.state, s.state, trace.variables).map((c) => ({ variable: c.variable, before: showValue(c.before), after: showValue(c.after) })),
  }));
  const m = info.saved.meta;
  const consts = showConstants(info.constants);
  const failStep = m.violatingStep ?? trace.steps.length - 1;
  return {
    title: m.property ? `${m.property} — ${info.model} / ${info.design}` : `Trace — ${info.model} / ${info.design}`,
    subtitle: `${info.saved.source} · model ${info.model}, design ${info.design}${consts ? `, ${consts}` : ''} · ${trace.steps.length - 1} steps`,
    property: m.property
      ? { name: m.property, kind: m.propertyKind ?? 'invariant', doc: m.propertyDoc ?? '', step: failStep }
      : null,
    loop: trace.loopIndex ?? null,
    steps,
    lanes: lanesOf(info.schema, variables, info.presentation?.lanes),
    modes: (info.presentation?.modes ?? []).map((m) => ({ name: m.name, values: [...m.values] })),
    values,
  };
}

/** One lane per member of the model's lane index set (its files; else the schema's first index set), holding every variable indexed by it; the rest in "shared". */
function lanesOf(schema: RecordDomain, variables: readonly string[], laneSet: string | undefined): { name: string; variables: string[] }[] {
  const sets = indexSets(schema);
  const prefix = laneSet ?? [...sets.keys()][0];
  if (prefix === undefined) return [{ name: 'state', variables: [...variables] }];
  const size = sets.get(prefix);
  if (size === undefined) throw new Error(`the lanes' index set '${prefix}' is not in the schema (its index sets: ${[...sets.keys()].join(', ')})`);
  const lanes = Array.from({ length: size }, (_, i) => ({ name: `${prefix}${i + 1}`, variables: [] as string[] }));
  const shared: string[] = [];
  const re = new RegExp(`\\[${prefix}(\\d+)\\]`);
  for (const v of variables) {
    const m = re.exec(v);
    if (m) lanes[Number(m[1]) - 1]!.variables.push(v);
    else shared.push(v);
  }
  return shared.length ? [...lanes, { name: 'shared', variables: shared }] : lanes;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** traces/page/trace-page.html with this trace's title and data. */
function page(d: PageData): string {
  const file = 'page/trace-page.html';
  // `<` is escaped so that no value can close the script element.
  const json = JSON.stringify(d).replace(/</g, '\\u003c');
  const text = replaceLine(file, readShipped(file), /^<title>.*<\/title>$/m, `<title>${esc(d.title)}</title>`);
  return replaceLine(file, text, /^<script type="application\/json" id="trace-data">.*<\/script>$/m, `<script type="application/json" id="trace-data">${json}</script>`);
}

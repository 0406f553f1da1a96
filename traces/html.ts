// `show --html`: one self-contained page for a trace. A timeline of steps; for
// the selected step, the action (in kernel words), the variables it changed
// and, at the failing step, what the violated property says; and one lane per
// file, each variable of that file a row and each step a column, so that one
// sees which file's mode changed when. No external resource: the data is
// embedded as JSON and drawn by a small script.

import type { RecordDomain } from '../checker/domain.js';
import type { Presentation } from '../checker/presentation.js';
import type { Trace } from '../checker/result.js';
import { showConstants, showValue } from '../checker/show.js';
import type { SavedTrace } from './codec.js';
import { changes, flattenNamed } from './flatten.js';
import { indexSets } from './index-sets.js';
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

export function pageData(trace: Trace, info: HtmlInfo): PageData {
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

function page(d: PageData): string {
  // `<` is escaped so that no value can close the script element.
  const json = JSON.stringify(d).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(d.title)}</title>
<style>
  :root { --bad: #c62828; --bad-bg: #fdecea; --chg: #fff3b0; --chg-strong: #ffd54f; --sel: #1565c0; --mut: #666; }
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
  header { padding: 12px 20px; border-bottom: 1px solid #ddd; }
  h1 { font-size: 18px; margin: 0 0 4px; }
  .sub { color: var(--mut); font-size: 12px; }
  .prop { margin-top: 6px; color: var(--bad); }
  main { padding: 12px 20px; }
  #timeline { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 12px; align-items: center; }
  #timeline button.step { border: 1px solid #bbb; background: #fafafa; border-radius: 4px; padding: 4px 8px; cursor: pointer; font: inherit; }
  #timeline button.step[aria-current="step"] { border-color: var(--sel); background: #e3f2fd; box-shadow: 0 0 0 2px var(--sel) inset; }
  #timeline button.step.fails { border-color: var(--bad); color: var(--bad); font-weight: 600; }
  #timeline button.step .n { color: var(--mut); margin-right: 4px; }
  .nav { margin-left: auto; display: flex; gap: 4px; }
  #detail { border: 1px solid #ddd; border-radius: 6px; padding: 10px 14px; margin-bottom: 16px; }
  #detail h2 { font-size: 16px; margin: 0 0 2px; }
  #detail .words { color: var(--mut); font-family: ui-monospace, monospace; font-size: 12px; }
  #changes { margin: 8px 0 0; padding: 0; list-style: none; font-family: ui-monospace, monospace; }
  #changes li { background: var(--chg); padding: 2px 6px; margin: 2px 0; border-radius: 3px; display: inline-block; margin-right: 6px; }
  #changes li.none { background: #eee; color: var(--mut); }
  #changes .old { color: var(--bad); } #changes .new { color: #2e7d32; font-weight: 600; }
  #violation { display: none; margin-top: 10px; padding: 8px 10px; background: var(--bad-bg); border-left: 4px solid var(--bad); }
  #violation.on { display: block; }
  table.lanes { border-collapse: collapse; font-family: ui-monospace, monospace; font-size: 12px; }
  table.lanes th, table.lanes td { border: 1px solid #e0e0e0; padding: 2px 6px; text-align: center; white-space: nowrap; }
  table.lanes th.var { text-align: left; font-weight: normal; color: #333; }
  table.lanes tr.lane th { background: #f0f0f0; text-align: left; font-weight: 600; }
  table.lanes tr.lane td.mark { color: #e65100; font-weight: 700; }
  table.lanes thead th { cursor: pointer; background: #fafafa; }
  table.lanes td.changed { background: var(--chg); }
  table.lanes .cur { outline: 2px solid var(--sel); outline-offset: -2px; }
  table.lanes td.changed.cur { background: var(--chg-strong); }
  table.lanes thead th.fails { color: var(--bad); }
  table.lanes td.mode-0 { color: #1565c0; font-weight: 600; }
  table.lanes td.mode-1 { color: #2e7d32; font-weight: 600; }
</style>
</head>
<body>
<header>
  <h1 id="title"></h1>
  <div class="sub" id="subtitle"></div>
  <div class="prop" id="property"></div>
</header>
<main>
  <div id="timeline" role="toolbar" aria-label="steps"></div>
  <section id="detail" aria-live="polite">
    <h2 id="step-title"></h2>
    <div class="words" id="step-words"></div>
    <ul id="changes"></ul>
    <div id="violation" role="alert"></div>
  </section>
  <h3>Per-file lanes <span class="sub">(a highlighted cell changed at that step; click a column to select the step)</span></h3>
  <div style="overflow-x:auto"><table class="lanes" id="lanes"></table></div>
</main>
<script type="application/json" id="trace-data">${json}</script>
<script>
(function () {
  var d = JSON.parse(document.getElementById('trace-data').textContent);
  var el = function (tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  document.getElementById('title').textContent = d.title;
  document.getElementById('subtitle').textContent = d.subtitle;
  if (d.property) {
    document.getElementById('property').textContent = (d.property.kind === 'reachable' ? 'Goal ' : 'Violated: ') +
      d.property.name + (d.property.doc ? ' — ' + d.property.doc : '') + ' (step ' + d.property.step + ')';
  }
  var modeOf = Object.create(null);
  d.modes.forEach(function (m, k) { m.values.forEach(function (v) { modeOf[v] = 'mode-' + k; }); });
  var changedAt = d.steps.map(function (s) { var m = {}; s.changed.forEach(function (c) { m[c.variable] = c; }); return m; });

  var tl = document.getElementById('timeline');
  var buttons = d.steps.map(function (s) {
    var b = el('button', { 'class': 'step', 'data-step': String(s.index), title: s.words || s.label });
    b.appendChild(el('span', { 'class': 'n' }, s.index + '.'));
    b.appendChild(document.createTextNode(s.label));
    if (d.property && d.property.step === s.index && d.property.kind !== 'reachable') b.classList.add('fails');
    b.addEventListener('click', function () { select(s.index); });
    tl.appendChild(b);
    return b;
  });
  var nav = el('span', { 'class': 'nav' });
  var prev = el('button', { id: 'prev', title: 'previous step (←)' }, '← prev');
  var next = el('button', { id: 'next', title: 'next step (→)' }, 'next →');
  nav.appendChild(prev); nav.appendChild(next); tl.appendChild(nav);

  var table = document.getElementById('lanes');
  var thead = el('thead'); var hr = el('tr'); hr.appendChild(el('th', {}, 'step'));
  d.steps.forEach(function (s) {
    var th = el('th', { 'data-step': String(s.index), title: s.label }, String(s.index));
    if (d.property && d.property.step === s.index && d.property.kind !== 'reachable') th.classList.add('fails');
    th.addEventListener('click', function () { select(s.index); });
    hr.appendChild(th);
  });
  thead.appendChild(hr); table.appendChild(thead);
  var tbody = el('tbody');
  d.lanes.forEach(function (lane) {
    var lr = el('tr', { 'class': 'lane', 'data-lane': lane.name });
    lr.appendChild(el('th', {}, lane.name));
    d.steps.forEach(function (s, i) {
      var hit = lane.variables.some(function (v) { return changedAt[i][v]; });
      lr.appendChild(el('td', { 'class': hit ? 'mark' : '', 'data-step': String(i) }, hit ? '●' : ''));
    });
    tbody.appendChild(lr);
    lane.variables.forEach(function (v) {
      var r = el('tr', { 'data-variable': v });
      r.appendChild(el('th', { 'class': 'var' }, v));
      d.values[v].forEach(function (val, i) {
        var cls = (changedAt[i][v] ? 'changed ' : '') + (modeOf[val] || '');
        r.appendChild(el('td', { 'class': cls.trim(), 'data-step': String(i) }, val));
      });
      tbody.appendChild(r);
    });
  });
  table.appendChild(tbody);

  var current = 0;
  function select(i) {
    if (i < 0 || i >= d.steps.length) return;
    current = i;
    var s = d.steps[i];
    buttons.forEach(function (b, j) { if (j === i) b.setAttribute('aria-current', 'step'); else b.removeAttribute('aria-current'); });
    document.getElementById('step-title').textContent = 'Step ' + i + ': ' + s.label + (d.loop === i ? '  (the loop starts here)' : '');
    document.getElementById('step-words').textContent = s.words || (i === 0 ? 'the initial state' : '');
    var ul = document.getElementById('changes'); ul.textContent = '';
    if (i > 0 && s.changed.length === 0) ul.appendChild(el('li', { 'class': 'none' }, 'no variable changed'));
    s.changed.forEach(function (c) {
      var li = el('li', { 'data-variable': c.variable });
      li.appendChild(document.createTextNode(c.variable + ': '));
      li.appendChild(el('span', { 'class': 'old' }, c.before));
      li.appendChild(document.createTextNode(' → '));
      li.appendChild(el('span', { 'class': 'new' }, c.after));
      ul.appendChild(li);
    });
    var vio = document.getElementById('violation');
    if (d.property && d.property.step === i) {
      vio.textContent = d.property.kind === 'reachable'
        ? 'Goal ' + d.property.name + ' is reached here' + (d.property.doc ? ': ' + d.property.doc : '.')
        : d.property.kind === 'deadlock' ? 'Deadlock: no action is enabled in this state.'
        : d.property.name + ' fails here' + (d.property.doc ? ': ' + d.property.doc : '.');
      vio.classList.add('on');
    } else { vio.textContent = ''; vio.classList.remove('on'); }
    table.querySelectorAll('.cur').forEach(function (c) { c.classList.remove('cur'); });
    table.querySelectorAll('[data-step="' + i + '"]').forEach(function (c) { c.classList.add('cur'); });
    prev.disabled = i === 0; next.disabled = i === d.steps.length - 1;
    history.replaceState(null, '', '#step-' + i);
  }
  prev.addEventListener('click', function () { select(current - 1); });
  next.addEventListener('click', function () { select(current + 1); });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowLeft') select(current - 1);
    if (e.key === 'ArrowRight') select(current + 1);
  });
  var m = /^#step-(\\d+)$/.exec(location.hash);
  select(m ? Number(m[1]) : (d.property ? d.property.step : 0));
})();
</script>
</body>
</html>
`;
}

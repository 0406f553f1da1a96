// The explorer's page: one self-contained HTML document that talks to the
// session through the server's JSON routes (explore.ts).

export const explorePage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>daxcheck explore</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1em 2em; }
h1 { font-size: 1.2em; } h2 { font-size: 1em; margin-top: 1.2em; }
ol#path li { cursor: pointer; margin: .3em 0; } ol#path li.current { font-weight: bold; }
.words { color: #055; margin-left: .5em; } .changed { color: #555; font-size: .9em; white-space: pre; }
#enabled button { display: block; margin: .2em 0; text-align: left; }
.fail { color: #b00; font-weight: bold; } .goal { color: #070; }
</style></head>
<body>
<h1 id="title">daxcheck explore</h1>
<label>Initial state <select id="init"></select></label>
<button id="back">Back</button> <a id="save" href="/api/trace.itf.json" download="explored.itf.json">Save as ITF</a>
<h2>Path (click a step to go back to it)</h2><ol id="path" start="0"></ol>
<h2>Properties at this state</h2><div id="props"></div>
<h2>Enabled actions</h2><div id="enabled"></div>
<script>
const $ = (id) => document.getElementById(id);
const el = (tag, props, ...kids) => { const e = Object.assign(document.createElement(tag), props); e.append(...kids); return e; };
async function call(path, body) {
  const r = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const v = await r.json();
  if (!r.ok) { alert(v.error); return; }
  render(v);
}
function render(v) {
  $('title').textContent = 'daxcheck explore: model ' + v.model + ', design ' + v.design;
  const sel = $('init');
  if (sel.options.length !== v.inits.length) sel.replaceChildren(...v.inits.map((i) => el('option', { value: String(i.index), textContent: i.label })));
  sel.value = String(v.init);
  $('path').replaceChildren(...v.steps.map((s) => {
    const li = el('li', { className: s.step === v.steps.length - 1 ? 'current' : '', onclick: () => call('/api/jump', { step: s.step }) },
      el('span', { className: 'label', textContent: s.label }), el('span', { className: 'words', textContent: s.words ?? '' }));
    if (s.changed.length) li.append(el('div', { className: 'changed', textContent: s.changed.join('\\n') }));
    li.dataset.step = String(s.step);
    return li;
  }));
  $('props').replaceChildren(
    ...v.failing.map((p) => el('div', { className: 'fail', textContent: p + ' fails here' })),
    ...v.goalsReached.map((g) => el('div', { className: 'goal', textContent: 'goal ' + g + ' is reached here' })),
    ...(v.failing.length + v.goalsReached.length ? [] : [el('div', { textContent: 'every property holds here; no goal reached' })]));
  $('enabled').replaceChildren(...(v.enabled.length ? v.enabled.map((a) => el('button', { onclick: () => call('/api/take', { instance: a.instance }) },
    el('span', { className: 'label', textContent: a.label }), el('span', { className: 'words', textContent: a.words ?? '' })))
    : [el('div', { className: 'fail', textContent: 'no action is enabled (deadlock)' })]));
}
$('init').onchange = () => call('/api/start', { init: Number($('init').value) });
$('back').onclick = () => call('/api/back', {});
call('/api/state');
</script>
</body></html>
`;

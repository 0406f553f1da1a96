// `npm run bench`: the DaxModes benchmark of shared/bench/dax-modes-bench.md
// at the sizes every compared checker reports, each in a fresh process.
// `npm run bench -- --big` adds (3,3) with a 600 s limit.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';

/** Distinct state counts fixed by the benchmark's definition. */
const expected: Record<string, number> = {
  '1,1': 30, '1,2': 102, '2,2': 10_404, '2,3': 101_124, '3,1': 27_000, '3,2': 1_061_208, '3,3': 32_157_432,
};

const big = process.argv.includes('--big');
const sizes: [number, number, string, number?][] = [
  [1, 1, 'instantiate-only'], [1, 2, 'instantiate-only'], [2, 2, 'instantiate-only'], [2, 3, 'instantiate-only'],
  [3, 1, 'instantiate-only'], [3, 2, 'instantiate-only'], [2, 2, 'flip-on-ioctl'], [3, 2, 'flip-on-ioctl'],
  ...(big ? [[3, 3, 'instantiate-only', 600] as [number, number, string, number]] : []),
];

const one = fileURLToPath(new URL('./one.js', import.meta.url));
const table = new Table({ style: { head: [], border: [] }, head: ['F,P', 'design', 'distinct', 'expected', 'generated', 'seconds', 'distinct/s', 'peak RSS', 'bytes/state (store)', 'verdict'] });
let failed = false;
for (const [f, p, design, limit] of sizes) {
  const run = spawnSync(process.execPath, ['--max-old-space-size=16384', one, String(f), String(p), design, ...(limit ? [String(limit)] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) { console.error(`bench (${f},${p}) ${design} failed with exit ${run.status}`); failed = true; continue; }
  const r = JSON.parse(run.stdout);
  const want = design === 'instantiate-only' ? expected[`${f},${p}`] : undefined;
  if (want !== undefined && r.complete && r.distinct !== want) failed = true;
  const verdict = r.violated.length ? r.violated.map((v: { name: string; steps: number }) => `${v.name} violated (${v.steps} steps)`).join('; ')
    : r.complete ? 'NoMixedMappings holds' : `incomplete: ${r.incompleteReason}`;
  table.push([
    `${f},${p}`, design, r.distinct.toLocaleString('en-US'), want?.toLocaleString('en-US') ?? '-', r.generated.toLocaleString('en-US'),
    r.seconds.toFixed(2), Math.round(r.distinct / r.seconds).toLocaleString('en-US'), `${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
    (r.storeBytes / r.distinct).toFixed(1), verdict,
  ]);
}
console.log(table.toString());
if (failed) { console.error('bench: a distinct state count differs from the definition'); process.exitCode = 1; }

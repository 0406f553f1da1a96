// `npm run bench`: the DaxModes benchmark of bench/dax-modes-bench.md
// at the sizes every compared checker reports, each in a fresh process, with
// the sequential engine and with the parallel one on 2 worker threads.
// `npm run bench -- --big` adds (3,3) with a 600 s limit; `--workers N`
// sets the parallel run's worker count (1: sequential only). The rows with a
// reduction (symmetry over files and processes, partial-order reduction over
// files) run on one thread; a symmetry row's orbits must stand for exactly
// the definition's count. The liveness rows check one leads-to
// (bench/leads-to.ts) beside the invariant on (3,2), with each worker count,
// and give the time as a multiple of the safety-only run's with as many workers.
//
// Against SPIN and the hand-specialised JS loop (bench/against.ts): where
// the shared benchmark directory is there (`--against DIR`, default
// ../shared/bench beside the checkout) and spin and gcc are installed, the
// same run measures SPIN (run-spin.sh: pan's search time) and js_limit.mjs
// at (3,2) (and (3,3) with --big) and prints each as a ratio of daxcheck's
// one-thread search time, alternating the three `--repeat N` times (medians).

import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { againstRows, againstSizes, findAgainst } from './against.js';

/** Distinct state counts fixed by the benchmark's definition. */
const expected: Record<string, number> = {
  '1,1': 30, '1,2': 102, '2,2': 10_404, '2,3': 101_124, '3,1': 27_000, '3,2': 1_061_208, '3,3': 32_157_432,
};

const big = process.argv.includes('--big');
const w = process.argv.indexOf('--workers');
const parallel = w >= 0 ? Number(process.argv[w + 1]) : 2;
if (!Number.isInteger(parallel) || parallel < 1) throw new Error(`--workers takes a whole number, got ${process.argv[w + 1]}`);
type Row = [files: number, procs: number, design: string, limit?: number, reduction?: 'symmetry' | 'por'];
// `--against-only`: only the rows against SPIN and js_limit.
const againstOnly = process.argv.includes('--against-only');
const sizes: Row[] = againstOnly ? [] : [
  [1, 1, 'instantiate-only'], [1, 2, 'instantiate-only'], [2, 2, 'instantiate-only'], [2, 3, 'instantiate-only'],
  [3, 1, 'instantiate-only'], [3, 2, 'instantiate-only'], [2, 2, 'flip-on-ioctl'], [3, 2, 'flip-on-ioctl'],
  [3, 2, 'instantiate-only', undefined, 'symmetry'], [3, 2, 'instantiate-only', undefined, 'por'], [3, 2, 'flip-on-ioctl', undefined, 'symmetry'],
  ...(big ? [[3, 3, 'instantiate-only', 600] as Row, [3, 3, 'instantiate-only', 600, 'symmetry'] as Row] : []),
];
const workerCounts = parallel > 1 ? [1, parallel] : [1];
const repeatIndex = process.argv.indexOf('--repeat');

const one = fileURLToPath(new URL('./one.js', import.meta.url));
const table = new Table({
  style: { head: [], border: [] },
  head: ['F,P', 'design', 'reduction', 'workers', 'distinct', 'expected', 'orbits stand for', 'generated', 'seconds', 'speedup', 'distinct/s', 'peak RSS', 'bytes/state (store)', 'load', 'verdict'],
});
let failed = false;
/** The safety-only seconds by size and worker count, for the liveness rows' ratio. */
const safetySeconds = new Map<string, number>();
/** The one-thread store bytes per state and peak RSS by size (instantiate-only, no reduction). */
const memory = new Map<string, { perState: number; rssMiB: number }>();
for (const [f, p, design, limit, reduction] of sizes) {
  let sequential: number | undefined;
  for (const workers of reduction ? [1] : workerCounts) {
    const load = loadavg()[0]!.toFixed(2);
    const run = spawnSync(process.execPath, ['--max-old-space-size=16384', one, String(f), String(p), design, limit ? String(limit) : '-', String(workers), reduction ?? '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (run.status !== 0) { console.error(`bench (${f},${p}) ${design} with ${workers} worker(s) failed with exit ${run.status}`); failed = true; continue; }
    const r = JSON.parse(run.stdout);
    const want = design === 'instantiate-only' ? expected[`${f},${p}`] : undefined;
    if (want !== undefined && r.complete && (reduction === 'symmetry' ? r.representedStates : reduction === 'por' ? want : r.distinct) !== want) failed = true;
    if (workers === 1) sequential = r.seconds;
    if (design === 'instantiate-only' && !reduction) safetySeconds.set(`${f},${p},${workers}`, r.seconds);
    if (workers === 1 && design === 'instantiate-only' && !reduction && r.complete) memory.set(`${f},${p}`, { perState: r.storeBytes / r.distinct, rssMiB: r.peakRssBytes / 2 ** 20 });
    const verdict = r.violated.length ? r.violated.map((v: { name: string; steps: number }) => `${v.name} violated (${v.steps} steps)`).join('; ')
      : r.complete ? 'NoMixedMappings holds' : `incomplete: ${r.incompleteReason}`;
    table.push([
      `${f},${p}`, design, reduction ?? '-', workers, r.distinct.toLocaleString('en-US'), want?.toLocaleString('en-US') ?? '-',
      r.representedStates?.toLocaleString('en-US') ?? '-', r.generated.toLocaleString('en-US'),
      r.seconds.toFixed(2), workers > 1 && sequential ? `${(sequential / r.seconds).toFixed(2)}x` : '-',
      Math.round(r.distinct / r.seconds).toLocaleString('en-US'), `${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
      (r.storeBytes / r.distinct).toFixed(1), load, verdict,
    ]);
  }
}
// ---- the liveness rows: one leads-to beside the invariant, (3,2) -------
for (const workers of againstOnly ? [] : workerCounts) {
  const [f, p] = [3, 2];
  const safety = safetySeconds.get(`${f},${p},${workers}`);
  const run = spawnSync(process.execPath, ['--max-old-space-size=16384', one, String(f), String(p), 'instantiate-only', '-', String(workers), 'leads-to'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) { console.error(`bench (${f},${p}) leads-to failed with exit ${run.status}`); failed = true; } else {
    const r = JSON.parse(run.stdout);
    if (r.distinct !== expected[`${f},${p}`]) failed = true;
    table.push([
      `${f},${p}`, 'instantiate-only + leads-to', '-', workers, r.distinct.toLocaleString('en-US'), expected[`${f},${p}`]!.toLocaleString('en-US'), '-', r.generated.toLocaleString('en-US'),
      r.seconds.toFixed(2), safety ? `${(r.seconds / safety).toFixed(2)}x safety` : '-',
      Math.round(r.distinct / r.seconds).toLocaleString('en-US'), `${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
      (r.storeBytes / r.distinct).toFixed(1), loadavg()[0]!.toFixed(2), `UnusedInodeGoes ${r.liveness}`,
    ]);
  }
}
if (!againstOnly) console.log(table.toString());
// ---- the simulation row: random walks on bench (3,3), a process of its own ------
if (!againstOnly) {
  const simulate = fileURLToPath(new URL('./simulate.js', import.meta.url));
  const run = spawnSync(process.execPath, [simulate, '3', '3', '100000', '100', '1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) { console.error(`bench simulation (3,3) failed with exit ${run.status}`); failed = true; } else {
    const r = JSON.parse(run.stdout);
    if (r.violation !== undefined) { console.error(`bench simulation (3,3): a walk violated ${r.violation}`); failed = true; }
    console.log(`simulation (3,3), 1 thread: ${r.walks.toLocaleString('en-US')} walks of ${r.depth} steps, ${r.steps.toLocaleString('en-US')} steps in ${r.seconds.toFixed(2)} s = ${(r.stepsPerSecond / 1e6).toFixed(2)} M steps/s (${(r.stepsPerCpuSecond / 1e6).toFixed(2)} M per CPU second; load ${loadavg()[0]!.toFixed(2)})`);
  }
}
// ---- memory per state: the sequential store at each size ------------------------
for (const [key, m] of memory) console.log(`memory (${key}), 1 worker: ${m.perState.toFixed(1)} bytes a state in the store (fingerprint table and links), ${m.rssMiB.toFixed(0)} MiB peak RSS`);
// ---- against SPIN and js_limit, measured in this run ---------------------------
const against = findAgainst(process.argv);
if (against.missing) console.log(`against SPIN and js_limit: not measured (${against.missing})`);
else {
  const r = repeatIndex >= 0 ? Number(process.argv[repeatIndex + 1]) : 1;
  if (!Number.isInteger(r) || r < 1) throw new Error(`--repeat takes a whole number, got ${process.argv[repeatIndex + 1]}`);
  const { table: t, failed: f } = againstRows(against, againstSizes(big), r, one);
  console.log(t);
  if (f) failed = true;
}
console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (the load column is the 1-minute average when each run started)`);
if (failed) { console.error('bench: a distinct state count (for a symmetry row: the states its orbits stand for) differs from the definition'); process.exitCode = 1; }

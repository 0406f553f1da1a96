// The rows of `npm run bench` that put daxcheck beside SPIN and beside the
// hand-specialised JS loop on the same benchmark, measured in the same run:
// for each size, daxcheck (one thread, bench/one.js), SPIN
// (shared/bench/run-spin.sh: -DSAFETY, no partial-order reduction; its time
// is pan's "elapsed time", the search alone) and js_limit.mjs (its own
// search time), alternating the three `repeat` times; the medians, and
// daxcheck's search time as a ratio of each (below 1: daxcheck is faster).
// Each must report the definition's state count.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';

export interface Against { readonly dir: string; readonly missing?: string }

/** The sizes compared: (3,2), and (3,3) with --big. */
export function againstSizes(big: boolean): [number, number][] {
  return big ? [[3, 2], [3, 3]] : [[3, 2]];
}

/** The shared benchmark directory (`--against DIR`, default ../shared/bench beside the checkout), or why it cannot be used. */
export function findAgainst(argv: readonly string[]): Against {
  const k = argv.indexOf('--against');
  const dir = k >= 0 ? argv[k + 1]! : fileURLToPath(new URL('../../../shared/bench/', import.meta.url));
  for (const f of ['run-spin.sh', 'js_limit.mjs', 'dax_modes.pml']) if (!existsSync(`${dir}/${f}`)) return { dir, missing: `${dir}/${f} is missing; --against DIR names the directory` };
  // run-spin.sh would install spin with apt-get: the bench only uses one already installed.
  for (const tool of ['spin', 'gcc']) {
    try { execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }); } catch { return { dir, missing: `${tool} is not installed` }; }
  }
  return { dir };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };

export function againstRows(a: Against, sizes: readonly [number, number][], repeat: number, one: string): { table: string; failed: boolean } {
  const table = new Table({
    style: { head: [], border: [] },
    head: ['F,P', 'daxcheck s (1 worker, search)', 'SPIN s (pan search)', 'daxcheck / SPIN', 'js_limit s', 'daxcheck / js_limit', 'runs', 'load'],
  });
  let failed = false;
  for (const [f, p] of sizes) {
    const ours: number[] = [], spin: number[] = [], js: number[] = [];
    const load = loadavg()[0]!.toFixed(2);
    const states = new Set<number>();
    for (let k = 0; k < repeat; k++) {
      const d = spawnSync(process.execPath, ['--max-old-space-size=16384', one, String(f), String(p), 'instantiate-only', '-', '1', '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (d.status === 0) { const r = JSON.parse(d.stdout); ours.push(r.seconds); states.add(r.distinct); } else failed = true;
      const s = spawnSync('bash', [`${a.dir}/run-spin.sh`, String(f), String(p)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const sm = /states=(\d+) seconds=([\d.]+)/.exec(s.stdout ?? '');
      if (s.status === 0 && sm) { spin.push(Number(sm[2])); states.add(Number(sm[1])); } else failed = true;
      const j = spawnSync(process.execPath, ['--max-old-space-size=16384', `${a.dir}/js_limit.mjs`, String(f), String(p)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const jm = /distinct=(\d+) .*secs=([\d.]+)/.exec(j.stdout ?? '');
      if (j.status === 0 && jm) { js.push(Number(jm[2])); states.add(Number(jm[1])); } else failed = true;
    }
    // All three must have explored the same state space.
    if (states.size !== 1) failed = true;
    const o = ours.length ? median(ours) : NaN;
    const sp = spin.length ? median(spin) : NaN;
    const jl = js.length ? median(js) : NaN;
    table.push([`${f},${p}`, o.toFixed(2), sp.toFixed(2), `${(o / sp).toFixed(2)}x`, jl.toFixed(2), `${(o / jl).toFixed(2)}x`, String(repeat), load]);
  }
  return { table: table.toString(), failed };
}

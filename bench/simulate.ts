// The simulation row of the benchmark, in a process of its own:
// random walks of DaxModes(F, P) through checker/simulate.ts, timed by the
// walks alone (compiling the model is left out) in wall and CPU seconds.
// usage: node dist/bench/simulate.js [FILES PROCS [WALKS [DEPTH [SEED [design]]]]]
// (defaults: 3 3 100000 100 1 instantiate-only); prints one JSON object.

import { compile } from '../checker/compile.js';
import { simulate } from '../checker/simulate.js';
import { builtInModels } from '../spec/index.js';

const [files = '3', procs = '3', walks = '100000', depth = '100', seed = '1', design = 'instantiate-only'] = process.argv.slice(2);
const cm = compile(builtInModels.bench!.model, design, { files, procs });
const cpuBefore = process.cpuUsage();
const r = simulate(cm, { runs: Number(walks), maxDepth: Number(depth), seed: Number(seed) });
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(JSON.stringify({
  files: Number(files), procs: Number(procs), design, walks: r.runs, depth: r.maxDepth, seed: r.seed, steps: r.steps,
  seconds: r.seconds, cpuSeconds, stepsPerSecond: Math.round(r.steps / r.seconds), stepsPerCpuSecond: Math.round(r.steps / cpuSeconds),
  violation: r.violation?.property,
}) + '\n');

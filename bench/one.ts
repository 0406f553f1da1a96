// One benchmark run in its own process, so its peak memory is its own.
// usage: node dist/bench/one.js FILES PROCS [design] [maxSeconds|-] [workers] [symmetry|por|leads-to|-]
// (leads-to: also check the leads-to property of bench/leads-to.ts)

import { compile } from '../checker/compile.js';
import { check } from '../checker/search.js';
import { builtInModels } from '../spec/index.js';
import { benchWithLeadsTo, benchWithLeadsToSource, LEADS_TO } from './leads-to.js';

const [files, procs, design = 'instantiate-only', maxSeconds, workers = '1', extra = '-'] = process.argv.slice(2);
if (!['symmetry', 'por', 'leads-to', '-'].includes(extra)) throw new Error(`the 6th argument: symmetry, por, leads-to or -, got ${extra}`);
const liveness = extra === 'leads-to';
const reduction = liveness ? '-' : extra;
const bench = builtInModels.bench!;
const cm = compile(liveness ? benchWithLeadsTo : bench.model, design, { files: files!, procs: procs! });
const r = check(cm, {
  ...(liveness ? { properties: ['NoMixedMappings', LEADS_TO] } : {}),
  maxSeconds: maxSeconds && maxSeconds !== '-' ? Number(maxSeconds) : undefined,
  workers: Number(workers),
  symmetry: reduction === 'symmetry',
  por: reduction === 'por',
  modelSource: liveness ? benchWithLeadsToSource : { kind: 'module', module: bench.module, export: bench.export },
  progressEverySeconds: 30,
  onProgress: (p) => process.stderr.write(`  (${files},${procs}) ${p.seconds.toFixed(0)} s: ${p.distinctStates} distinct, queue ${p.queue}\n`),
});
const violated = r.properties.filter((p) => p.status === 'violated').map((p) => ({ name: p.name, steps: p.trace!.steps.length - 1 }));
process.stdout.write(JSON.stringify({
  files: Number(files), procs: Number(procs), design, workers: Number(workers), complete: r.complete, incompleteReason: r.incompleteReason,
  distinct: r.distinctStates, generated: r.statesGenerated, depth: r.depth, seconds: r.seconds,
  liveness: liveness ? r.properties.find((p) => p.name === LEADS_TO)?.status : undefined,
  storeBytes: r.storeBytes, peakRssBytes: process.resourceUsage().maxRSS * 1024, violated,
  reduction, representedStates: r.symmetry?.representedStates, reducedStates: r.partialOrder?.reducedStates,
}) + '\n');

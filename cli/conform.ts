// `daxcheck conform <model>`: runs the model's traces on a real Linux kernel
// in qemu and checks every step against a design (conform/). Exit codes: 0
// every step of every trace agreed, 1 a disagreement, 2 bad input or a
// set-up that cannot be completed (it names what is missing).

import type { Command } from 'commander';
import { UsageError } from '../checker/errors.js';
import { conform, type ConformReport } from '../conform/run.js';
import { collectConst, collectList } from './constants.js';
import { positiveWholeNumber } from './options.js';
import { modelNamed } from './registry.js';

/** ext4 and xfs on the VM's fsdax pmem (dax=inode), unless the model's reproducer names others. */
const DAX_FILE_SYSTEMS = { accepted: ['ext4', 'xfs'], byDefault: ['ext4', 'xfs'] };

interface ConformCliOptions {
  design?: string; fs?: string[]; traces?: string; depth?: string; seed?: string; walks?: string;
  const?: Record<string, string>; examples?: boolean; json?: boolean; out?: string; trace?: string[];
}

export function registerConform(program: Command): void {
  program.command('conform <model>')
    .description('run the model\'s traces on a real kernel (qemu, emulated NVDIMM, ext4/xfs -o dax=inode; passthrough: a FUSE server of the program\'s own) and check every step against a design')
    .option('--design <D>', 'the design the kernel is judged against (default: the model\'s)')
    .option('--fs <LIST>', 'file systems, comma-separated (dax: ext4, xfs, default both; passthrough: where the backing files live, tmpfs (default), ext4, xfs)', collectList('--fs'))
    .option('--traces <N>', 'random walks (default 100)')
    .option('--depth <K>', 'steps per walk at most (default 8)')
    .option('--seed <S>', 'random seed (default 1)')
    .option('--walks <HOW>', 'how walks choose steps: coverage (favour branches taken least; default) or uniform')
    .option('--const <NAME=VALUE>', 'set a constant (repeatable)', collectConst)
    .option('--trace <FILE>', 'run exactly this saved trace (ITF; repeatable) instead of walks and examples', (v: string, prev: string[] = []) => [...prev, v])
    .option('--no-examples', 'leave out the recorded examples the design fixes')
    .option('--out <DIR>', 'keep the programs (NAME.c), what they printed (programs.log) and the kernel console (console.log) in DIR')
    .option('--json', 'print one JSON object')
    .action(async (name: string, o: ConformCliOptions) => {
      const model = modelNamed(name);
      if (!model.presentation?.c?.observations) {
        throw new UsageError(`model ${name} cannot be run on a kernel: its presentation gives no C reproducer with observation rules (presentation.c.observations)`);
      }
      const systems = model.presentation.c.fileSystems ?? DAX_FILE_SYSTEMS;
      const fs = o.fs ?? systems.byDefault;
      const bad = fs.filter((f) => !systems.accepted.includes(f));
      if (bad.length > 0 || fs.length === 0) throw new UsageError(`--fs ${fs.join(',')}: accepted file systems${model.presentation.c.fileSystems ? ` for model ${name}` : ''} are ${systems.accepted.join(', ')}`);
      const design = o.design ?? String(model.defaultDesign);
      if (!(design in model.designs)) throw new UsageError(`unknown design '${design}' of model ${name}; designs: ${Object.keys(model.designs).join(', ')}`);
      if (design.startsWith('virtiofs')) throw new UsageError(`design ${design} is a virtiofs design: this qemu has no virtio-fs DAX window, so virtiofs stays model-only; choose an ext4/xfs design`);
      if (o.walks !== undefined && o.walks !== 'coverage' && o.walks !== 'uniform') throw new UsageError(`--walks ${o.walks}: accepted are coverage, uniform`);
      const r = await conform(model, {
        ...(o.walks ? { walks: o.walks } : {}),
        design, fs, traces: positiveWholeNumber('--traces', o.traces) ?? 100, depth: positiveWholeNumber('--depth', o.depth) ?? 8,
        seed: positiveWholeNumber('--seed', o.seed) ?? 1, constants: o.const ?? {}, examples: o.examples !== false, ...(o.out ? { out: o.out } : {}), ...(o.trace ? { traceFiles: o.trace } : {}),
        log: (l) => process.stderr.write(`${l}\n`),
      });
      process.stdout.write(o.json ? JSON.stringify(r) + '\n' : formatConform(r));
      process.exitCode = r.perFs.some((f) => f.disagreements.length > 0) ? 1 : r.notRun.length > 0 ? 4 : 0;
    });
}

export function formatConform(r: ConformReport): string {
  const lines = [
    `Conformance of ${r.model} / ${r.design} on Linux ${r.kernel}: ${r.traces.given ? `${r.traces.given} given traces` : `${r.traces.walks} walks + ${r.traces.examples} recorded examples`}, ${r.boots} boot${r.boots === 1 ? '' : 's'} (${r.bootSeconds.toFixed(1)} s; programs built in ${r.buildSeconds.toFixed(1)} s)`,
    ...r.mounts.map((m) => `  mounted: ${m}`),
    ...(r.coverage ? [`  walks: ${r.coverage.choice}, ${r.coverage.branches} distinct branches (action and the state slots it changed) of ${r.coverage.actions} actions`] : []),
  ];
  const runs = r.perFs.reduce((n, f) => n + f.traces, 0);
  const steps = r.perFs.reduce((n, f) => n + f.steps, 0);
  const footer = `throughput: ${runs} runs, ${steps} steps in ${r.seconds.toFixed(1)} s wall, ${r.boots} boot${r.boots === 1 ? '' : 's'}: ${(runs / r.seconds).toFixed(2)} traces/s, ${(steps / r.seconds).toFixed(1)} steps/s`;
  // Why a boot died, after the verdicts, so that the end of a long report (a CI log's tail) says it.
  const deaths = r.deaths.flatMap((d) => [
    `boot ${d.boot} ended before its end: ${d.how} after ${d.seconds.toFixed(1)} s, ${d.during ? `during ${d.during.trace} on ${d.during.fs}` : 'with no program running'}; the kernel console's last lines:`,
    ...(d.console.length ? d.console.map((l) => `    ${l}`) : ['    (empty)']),
  ]);
  const unfinished = [
    ...(r.killedKernel.length ? [`left out after two boots died under them: ${r.killedKernel.map((k) => `${k.trace} on ${k.fs}`).join(', ')}`] : []),
    ...(r.notRun.length ? [`INCOMPLETE: ${r.notRun.length} runs unjudged after ${r.boots} boots (${r.notRun.slice(0, 6).map((k) => `${k.trace} on ${k.fs}`).join(', ')}${r.notRun.length > 6 ? ', ...' : ''}): no evidence either way`] : []),
  ];
  for (const f of r.perFs) {
    lines.push(`${f.fs}: ${f.traces} traces${f.notRun ? ` (${f.notRun} not run)` : ''}, ${f.steps} steps compared, ${f.agreed} agreed (${f.steps ? ((100 * f.agreed) / f.steps).toFixed(1) : '0'} %), ${f.observations} observations, ${f.seconds.toFixed(1)} s, ${f.disagreements.length} disagreements`);
    if (f.historical.length > 0) {
      const exact = f.historical.filter((h) => h.partsAt === h.divergesAt);
      lines.push(`  recorded counterexamples: ${exact.length} of ${f.historical.length} part from their own (historical) design exactly at the step their fix diverges`);
      for (const h of f.historical.filter((x) => x.partsAt !== x.divergesAt)) {
        lines.push(`    ${h.origin}: ${h.partsAt === undefined ? 'never parts from' : `parts at step ${h.partsAt} from`} ${h.design}; the fix diverges at step ${h.divergesAt}`);
      }
    }
    for (const d of f.disagreements) {
      lines.push(`  DISAGREE ${d.trace} (${d.origin}) at step ${d.step}: ${d.label}: ${d.reason}`);
      for (const o of d.observed) lines.push(`    kernel: ${o.line}${o.expected !== undefined ? `    model: ${o.expected}${o.agrees ? '' : '   <-- differs'}` : ''}`);
      for (const m of d.missing) lines.push(`    missing: ${m} (the model expects it)`);
    }
  }
  lines.push(...deaths, ...unfinished, footer);
  return lines.join('\n') + '\n';
}

// `daxcheck simulate <model>`: random walks with shrinking, for sizes too big to exhaust.

import type { Command } from 'commander';
import pc from 'picocolors';
import { compile } from '../compile.js';
import { simulate } from '../simulate.js';
import { UsageError } from '../errors.js';
import { explainTrace } from '../../traces/explain.js';
import { collectConst } from './constants.js';
import { modelNamed } from './registry.js';
import { useColor } from './color.js';

function wholeNumber(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`${flag} takes a positive whole number, got '${raw}'`);
  return Number(raw);
}

export function registerSimulate(program: Command): void {
  program.command('simulate <model>')
    .description('random walks (shrunk on failure) checking the safety properties; finds bugs, proves nothing')
    .option('--design <D>', 'the design to simulate')
    .option('--const <NAME=VALUE>', 'set a constant (repeatable)', collectConst)
    .option('--runs <N>', 'number of walks (default 1000)')
    .option('--depth <N>', 'steps per walk (default 100)')
    .option('--seed <N>', 'random seed, to repeat a run')
    .option('--json', 'print one JSON object')
    .action((name: string, o: { design?: string; const?: Record<string, string>; runs?: string; depth?: string; seed?: string; json?: boolean }) => {
      const model = modelNamed(name);
      const cm = compile(model, o.design, o.const ?? {});
      const r = simulate(cm, { runs: wholeNumber('--runs', o.runs), maxDepth: wholeNumber('--depth', o.depth), seed: wholeNumber('--seed', o.seed) });
      if (o.json) {
        process.stdout.write(JSON.stringify({ model: cm.model, design: cm.design, constants: cm.constants, ...r, violation: r.violation && { property: r.violation.property, trace: r.violation.trace.steps } }) + '\n');
      } else {
        const c = pc.createColors(useColor(process.stdout));
        process.stdout.write(`Simulated ${r.runs} walks of up to ${r.maxDepth} steps of ${cm.model} / ${cm.design} in ${r.seconds.toFixed(2)} s (seed ${r.seed}).\n`);
        if (r.violation) {
          process.stdout.write(c.red(c.bold(`${r.violation.property} is violated; shrunk walk (${r.violation.trace.steps.length - 1} steps):\n`)));
          process.stdout.write(explainTrace(r.violation.trace, { color: useColor(process.stdout), presentation: model.presentation, failureNote: `${r.violation.property} fails here` }) + '\n');
        } else {
          process.stdout.write('No violation found (a simulation is not a proof; run check for that).\n');
        }
      }
      process.exitCode = r.violation ? 1 : 0;
    });
}

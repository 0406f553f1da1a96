// `daxcheck simulate <model>`: random walks with shrinking, for sizes too big to exhaust.

import type { Command } from 'commander';
import pc from 'picocolors';
import { compile } from '../checker/compile.js';
import { simulate } from '../checker/simulate.js';
import { explainTrace } from '../traces/explain.js';
import { DEADLOCK, saveTrace } from '../traces/save.js';
import { collectConst, collectList } from './constants.js';
import { collectFile, designToRun, modelWithDesigns } from './registry.js';
import { loadDesignFiles } from './design-file.js';
import { useColor } from './color.js';
import { positiveWholeNumber } from './options.js';
import { checkOutputDir } from './paths.js';

interface SimulateOptions {
  design?: string; const?: Record<string, string>; runs?: string; depth?: string; seed?: string; json?: boolean;
  property?: string[]; deadlock?: boolean; traceOut?: string; designFile?: string[]; modelFile?: string[];
}

export function registerSimulate(program: Command): void {
  program.command('simulate <model>')
    .description('random walks (shrunk on failure) checking the safety properties; finds bugs, proves nothing')
    .option('--design <D>', 'the design to simulate')
    .option('--design-file <FILE>', 'load designs from a TypeScript or JavaScript file (repeatable)', collectFile)
    .option('--model-file <FILE>', 'load a whole model from a TypeScript or JavaScript file (repeatable); name it as the model', collectFile)
    .option('--const <NAME=VALUE>', 'set a constant (repeatable)', collectConst)
    .option('--runs <N>', 'number of walks (default 1000)')
    .option('--depth <N>', 'steps per walk (default 100)')
    .option('--seed <N>', 'random seed, to repeat a run')
    .option('--property <NAME>', 'check only this property (repeatable, or comma-separated)', collectList('--property'))
    .option('--no-deadlock', 'do not report states with no enabled action')
    .option('--trace-out <DIR>', "write the shrunk walk of a violation to DIR as ITF (.itf.json)")
    .option('--json', 'print one JSON object')
    .action(async (name: string, o: SimulateOptions) => {
      const { model, added } = modelWithDesigns(name, await loadDesignFiles(o.designFile, o.modelFile));
      const cm = compile(model, designToRun(o.design, added), o.const ?? {});
      if (o.traceOut !== undefined) checkOutputDir('--trace-out', o.traceOut);
      const r = simulate(cm, {
        runs: positiveWholeNumber('--runs', o.runs), maxDepth: positiveWholeNumber('--depth', o.depth), seed: positiveWholeNumber('--seed', o.seed),
        ...(o.deadlock === false ? { checkDeadlock: false } : {}), ...(o.property ? { properties: o.property } : {}),
      });
      const v = r.violation;
      if (v && o.traceOut !== undefined) {
        const kind = v.property === 'Deadlock' ? 'deadlock' : cm.actionProperties.some((p) => p.name === v.property) ? 'action' : 'invariant';
        process.stderr.write(`Trace written: ${saveTrace(o.traceOut, cm, v.trace, kind === 'deadlock' ? DEADLOCK : { name: v.property, kind })}\n`);
      }
      if (o.json) {
        process.stdout.write(JSON.stringify({ model: cm.model, design: cm.design, constants: cm.constants, ...r, violation: v && { property: v.property, trace: v.trace.steps } }) + '\n');
      } else {
        const c = pc.createColors(useColor(process.stdout));
        const rate = r.seconds > 0 ? Math.round(r.steps / r.seconds).toLocaleString('en-US') : '-';
        process.stdout.write(`Simulated ${r.runs} walks of up to ${r.maxDepth} steps of ${cm.model} / ${cm.design} in ${r.seconds.toFixed(2)} s (seed ${r.seed}): ${r.steps.toLocaleString('en-US')} steps, ${rate} steps/s.\n`);
        if (r.goals.length) process.stdout.write(`Goals: ${r.goals.map((g) => `${g.name} ${g.walks ? `reached in ${g.walks} walks` : 'never reached'}`).join('; ')}.\n`);
        const idle = r.coverage.filter((a) => a.taken === 0).map((a) => a.action);
        if (idle.length) process.stdout.write(`Actions never taken: ${idle.join(', ')}.\n`);
        if (v) {
          process.stdout.write(c.red(c.bold(`${v.property} is violated; shrunk walk (${v.trace.steps.length - 1} steps):\n`)));
          process.stdout.write(explainTrace(v.trace, { color: useColor(process.stdout), presentation: model.presentation, failureNote: `${v.property} fails here` }) + '\n');
        } else {
          process.stdout.write('No violation found (a simulation is not a proof; run check for that).\n');
        }
      }
      process.exitCode = v ? 1 : 0;
    });
}

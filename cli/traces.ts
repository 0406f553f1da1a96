// `daxcheck replay | show | repro <trace>`: the trace commands (issue 4).
// Exit codes: replay 0 when the trace replays and its violation reproduces,
// 1 when it diverges or no longer violates; every command 2 on bad input.

import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../checker/errors.js';
import { showConstants } from '../checker/show.js';
import { collectConst } from './constants.js';
import { checkOutputFile } from './paths.js';
import { useColor } from './color.js';
import { collectFile, modelOfTraceWith } from './registry.js';
import { loadDesignFiles } from './design-file.js';
import { decodeTrace, leftOutVariables, type SavedTrace } from '../traces/codec.js';
import type { CompiledModel } from '../checker/compile.js';
import { explainTrace } from '../traces/explain.js';
import { renderHtml } from '../traces/html.js';
import { loadTrace } from '../traces/load.js';
import { compileFor, replay, replayExitCode } from '../traces/replay.js';
import { formatReplay, leftOutLine } from '../traces/replay-text.js';
import { reproC } from '../traces/repro-c.js';

/** show and repro print what the trace's steps are; a step naming no action of the design cannot be printed as one (replay reports it as a divergence). */
function refuseUnknownActions(saved: SavedTrace, cm: CompiledModel): void {
  for (const s of saved.steps) {
    if (s.action === undefined || s.action === 'Init' || cm.actionNames.includes(s.action)) continue;
    throw new UsageError(`${saved.source}: step ${s.index} takes action '${s.action}', which model ${cm.model} (design ${cm.design}) does not have; its actions are: ${cm.actionNames.join(', ')}`);
  }
}

interface TraceOptions { model?: string; design?: string; const?: Record<string, string>; designFile?: string[]; modelFile?: string[] }

const designFileHelp = 'load designs from a TypeScript or JavaScript file (repeatable); with no --design the trace is read under its design when the file has the recorded one, else under the file\'s design';

export function registerTraces(program: Command): void {
  program.command('replay <trace>')
    .description('re-execute a saved trace (ITF) step by step, by default under the design it was recorded with')
    .option('--design <D>', 'replay under this design instead (does the fix block the trace?)')
    .option('--const <NAME=VALUE>', 'override a recorded constant (repeatable)', collectConst)
    .option('--model <M>', 'the model, for a trace that does not name it in #meta.model')
    .option('--json', 'print the replay report as JSON')
    .option('--design-file <FILE>', designFileHelp, collectFile)
    .option('--model-file <FILE>', 'load a whole model from a TypeScript or JavaScript file (repeatable); name it as the model', collectFile)
    .action(async (file: string, o: TraceOptions & { json?: boolean }) => {
      const saved = loadTrace(file);
      const { model, design } = modelOfTraceWith(saved, o.model, o.design, await loadDesignFiles(o.designFile, o.modelFile));
      const cm = compileFor(model, saved, { design, constants: o.const });
      const report = replay(cm, saved);
      if (o.json) process.stdout.write(JSON.stringify(report) + '\n');
      else process.stdout.write(formatReplay(report, { color: useColor(process.stdout), presentation: model.presentation }) + '\n');
      process.exitCode = replayExitCode(report);
    });

  program.command('show <trace>')
    .description('print a saved trace (ITF): each step in kernel words with the variables it changed')
    .option('--html <FILE>', 'write one self-contained page instead: timeline, changed variables, per-file lanes')
    .option('--model <M>', 'the model, for a trace that does not name it in #meta.model')
    .option('--design <D>', 'label the steps with this design\'s actions')
    .option('--const <NAME=VALUE>', 'override a recorded constant (repeatable)', collectConst)
    .option('--design-file <FILE>', designFileHelp, collectFile)
    .option('--model-file <FILE>', 'load a whole model from a TypeScript or JavaScript file (repeatable); name it as the model', collectFile)
    .action(async (file: string, o: TraceOptions & { html?: string }) => {
      if (o.html !== undefined) checkOutputFile('--html', o.html);
      const saved = loadTrace(file);
      const { model, design } = modelOfTraceWith(saved, o.model, o.design, await loadDesignFiles(o.designFile, o.modelFile));
      const cm = compileFor(model, saved, { design, constants: o.const });
      refuseUnknownActions(saved, cm);
      // A trace of a design whose state differs from this one's is shown on the variables both have, as replay compares them.
      const leftOut = leftOutVariables(cm, saved);
      const partial = leftOut.notInModel.length > 0 || leftOut.notInTrace.length > 0;
      const trace = decodeTrace(saved, cm, partial);
      const m = saved.meta;
      const note = m.property ? (m.propertyKind === 'deadlock' ? 'no action is enabled here (deadlock)' : `${m.property} ${m.propertyKind === 'reachable' ? 'is reached' : 'fails'} here${m.propertyDoc ? `: ${m.propertyDoc}` : ''}`) : undefined;
      if (o.html !== undefined) {
        writeFileSync(o.html, renderHtml(trace, { saved, model: cm.model, design: cm.design, constants: cm.constants, schema: cm.layout.schema, presentation: model.presentation }));
        if (partial) process.stderr.write(`${leftOutLine('Shown', leftOut, cm.design)}\n`);
        process.stderr.write(`Page written: ${o.html}\n`);
        return;
      }
      const color = useColor(process.stdout);
      const consts = showConstants(cm.constants);
      process.stdout.write(`${file}: model ${cm.model}, design ${cm.design}, ${consts}, ${trace.steps.length - 1} steps${m.property ? `, ${m.property}` : ''}\n`);
      if (partial) process.stdout.write(`${leftOutLine('Shown', leftOut, cm.design)}\n`);
      process.stdout.write(explainTrace(trace, {
        color,
        ...(note ? { failureNote: note } : {}),
        presentation: model.presentation,
      }) + '\n');
    });

  program.command('repro <trace>')
    .description('turn a saved trace into a program that performs its steps with the real system calls')
    .requiredOption('--lang <L>', 'the reproducer\'s language (c)')
    .option('-o, --output <FILE>', 'write the program here instead of stdout')
    .option('--model <M>', 'the model, for a trace that does not name it in #meta.model')
    .option('--design-file <FILE>', 'load the designs of a TypeScript or JavaScript file, for a trace recorded under one of them (repeatable)', collectFile)
    .option('--model-file <FILE>', 'load a whole model from a TypeScript or JavaScript file (repeatable); name it as the model', collectFile)
    .action(async (file: string, o: TraceOptions & { lang: string; output?: string }) => {
      if (o.lang !== 'c') throw new UsageError(`--lang ${o.lang || "''"} is not supported; accepted: c`);
      if (o.output !== undefined) checkOutputFile('--output', o.output);
      const saved = loadTrace(file);
      const { model, design } = modelOfTraceWith(saved, o.model, undefined, await loadDesignFiles(o.designFile, o.modelFile));
      const cm = compileFor(model, saved, { design });
      refuseUnknownActions(saved, cm);
      const program = reproC(decodeTrace(saved, cm), {
        saved, model: cm.model, design: cm.design, constants: cm.constants, schema: cm.layout.schema,
        designSummary: model.designs[cm.design]?.summary, presentation: model.presentation,
      });
      if (o.output !== undefined) {
        writeFileSync(o.output, program);
        process.stderr.write(`Reproducer written: ${o.output} (build: gcc -Wall -O2 -o repro ${o.output}; run: ./repro DIR)\n`);
      } else {
        process.stdout.write(program);
      }
    });
}

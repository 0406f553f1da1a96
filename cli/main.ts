// The daxcheck command line. Exit codes (EXIT_CODES_HELP, checker/result.ts
// ExitCode): 0 a complete search and every property holds, 1 a violation (or
// deadlock), 2 bad input, 3 an internal error, 4 cut short with no violation
// found.

import { Command, CommanderError } from 'commander';
import { SchemaViolation, UsageError } from '../checker/errors.js';
import { SchemaError } from '../checker/layout.js';
import { registerCheck } from './check.js';
import { registerConform } from './conform.js';
import { registerLists } from './list.js';
import { registerMatrix } from './matrix.js';
import { registerPlay } from './play.js';
import { registerExplore } from './explore.js';
import { registerTraces } from './traces.js';
import { registerSimulate } from './simulate.js';
import { packageVersion } from './version.js';
import { userFrame } from './design-file.js';
import { violationInUserFile } from './design-origin.js';

export const EXIT_CODES_HELP = `
Exit codes:
  0  check: the search was complete and every property holds
  1  a violation or a deadlock (replay: the trace diverges or no longer fails)
  2  bad input: an unknown name, a value out of range, an unusable file or path (a one-line message says what is accepted)
  3  an internal error (a bug in daxcheck)
  4  cut short with no violation found (--max-seconds, --depth, a state constraint, --max-memory, SIGINT/SIGTERM): not a proof
     matrix: 0 when it printed its tables (violations, and cells a model's state constraint bounds, are their content),
             4 when --max-seconds, the memory budget or a signal cut a design's search short
     simulate: 0 no violation found (which proves nothing), 1 a violation
  --json carries the same as "exitCode" (and "outcome": holds, violated, cut-short).`;

export function buildProgram(): Command {
  const program = new Command('daxcheck')
    .description('explicit-state model checking of Linux DAX / page-cache / FUSE passthrough mode switching')
    .version(packageVersion())
    .showHelpAfterError('(run daxcheck --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride();
  registerLists(program);
  registerCheck(program);
  registerMatrix(program);
  registerTraces(program);
  registerSimulate(program);
  registerConform(program);
  registerPlay(program);
  registerExplore(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    // commander answers `help <unknown>` with the whole help text as an error; bad input is one line
    if (argv[0] === 'help' && argv[1] !== undefined && !program.commands.some((c) => c.name() === argv[1])) {
      throw new UsageError(`unknown command '${argv[1]}'; the commands are: ${program.commands.map((c) => c.name()).join(', ')}`);
    }
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and --version are not errors; every parse error is bad input.
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    }
    if (e instanceof UsageError || e instanceof SchemaError) {
      process.stderr.write(`daxcheck: error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof SchemaViolation) {
      // A value written by a user's design or model file is that file's mistake: its file and line.
      const theirs = violationInUserFile(e);
      if (theirs !== undefined) {
        process.stderr.write(`daxcheck: error in design file: ${theirs}\n`);
        return 2;
      }
      process.stderr.write(`daxcheck: model error: ${e.message}\n`);
      return 2;
    }
    // An error thrown from inside a user's design file is the user's: its file and line, no stack.
    const theirs = userFrame(e);
    if (theirs !== undefined) {
      process.stderr.write(`daxcheck: error in design file: ${theirs}\n`);
      return 2;
    }
    process.stderr.write(`daxcheck: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return 3;
  }
}

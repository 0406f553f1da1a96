// The daxcheck command line. Exit codes: 0 every property holds, 1 a
// violation (or deadlock), 2 bad input (unknown model, design, constant,
// property, option or trace file), 3 an internal error.

import { Command, CommanderError } from 'commander';
import { SchemaViolation, UsageError } from '../checker/errors.js';
import { SchemaError } from '../checker/layout.js';
import { registerCheck } from './check.js';
import { registerLists } from './list.js';
import { registerMatrix } from './matrix.js';
import { registerPlay } from './play.js';
import { registerExplore } from './explore.js';
import { registerTraces } from './traces.js';
import { registerSimulate } from './simulate.js';
import { packageVersion } from './version.js';
import { userFrame } from './design-file.js';

export function buildProgram(): Command {
  const program = new Command('daxcheck')
    .description('explicit-state model checking of Linux DAX / page-cache / FUSE passthrough mode switching')
    .version(packageVersion())
    .showHelpAfterError('(run daxcheck --help for usage)')
    .exitOverride();
  registerLists(program);
  registerCheck(program);
  registerMatrix(program);
  registerTraces(program);
  registerSimulate(program);
  registerPlay(program);
  registerExplore(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
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

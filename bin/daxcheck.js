#!/usr/bin/env node
// Runs the compiled CLI (npm ci / npm run build compile it into dist/).
import { main } from '../dist/cli/main.js';

// `daxcheck ... | head` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });
}
process.exitCode = await main(process.argv.slice(2));

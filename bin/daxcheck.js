#!/usr/bin/env node
// Runs the compiled CLI (npm ci / npm run build compile it into dist/).
import { main } from '../dist/checker/cli/main.js';

process.exitCode = await main(process.argv.slice(2));

// Reading a trace file: the one place that turns "which file" mistakes into
// exit-2 messages. Which model a trace belongs to is the caller's to decide
// (the command line looks it up by #meta.model; see cli/registry.ts).

import { readFileSync } from 'node:fs';
import { UsageError } from '../checker/errors.js';
import { type SavedTrace, readSavedTrace } from './codec.js';

export function loadTrace(path: string): SavedTrace {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read trace file ${path}${code === 'ENOENT' ? ': no such file' : `: ${(e as Error).message}`}; give an ITF trace (.itf.json), e.g. one written by check --trace-out`);
  }
  // A byte-order mark (some editors write one) is not part of the JSON.
  return readSavedTrace(text.replace(/^\uFEFF/, ''), path);
}

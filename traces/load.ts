// Reading a trace file and finding the model it belongs to: the one place
// that turns "which file, which model" mistakes into exit-2 messages.

import { readFileSync } from 'node:fs';
import type { ModelDef } from '../checker/model.js';
import { UsageError } from '../checker/errors.js';
import { modelNamed } from '../checker/cli/registry.js';
import { models } from '../spec/index.js';
import { type SavedTrace, readSavedTrace } from './codec.js';

export function loadTrace(path: string): SavedTrace {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read trace file ${path}${code === 'ENOENT' ? ': no such file' : `: ${(e as Error).message}`}; give an ITF trace (.itf.json), e.g. one written by check --trace-out`);
  }
  return readSavedTrace(text, path);
}

/** The model named by --model, else by the trace's #meta.model. */
export function modelOf(saved: SavedTrace, override?: string): ModelDef<any, any> {
  const name = override ?? saved.meta.model;
  if (!name) {
    throw new UsageError(`${saved.source}: the trace does not name its model (#meta.model); give --model (one of ${Object.keys(models).join(', ')})`);
  }
  return modelNamed(name);
}

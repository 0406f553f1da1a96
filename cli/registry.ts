// Looking up a built-in model by name (on the command line or in a trace's
// #meta.model), with an error that lists what exists, and where worker
// threads load it from.

import type { ModelDef } from '../checker/model.js';
import type { SearchOptions } from '../checker/search.js';
import { UsageError } from '../checker/errors.js';
import { type BuiltInModel, builtInModels } from '../spec/index.js';
import type { SavedTrace } from '../traces/codec.js';

export type ModelSource = NonNullable<SearchOptions['modelSource']>;

const names = () => Object.keys(builtInModels).join(', ');

function builtIn(name: string): BuiltInModel {
  const b = builtInModels[name];
  if (!b) throw new UsageError(`unknown model '${name}'; the models are: ${names()}`);
  return b;
}

export function modelNamed(name: string): ModelDef<any, any> {
  return builtIn(name).model;
}

export function allModels(): readonly ModelDef<any, any>[] {
  return Object.values(builtInModels).map((b) => b.model);
}

/** Where `--workers` threads import the built-in model `name` from. */
export function modelSourceOf(name: string): ModelSource {
  const b = builtIn(name);
  return { kind: 'module', module: b.module, export: b.export };
}

/** The model named by --model, else by the trace's #meta.model. */
export function modelOfTrace(saved: SavedTrace, override?: string): ModelDef<any, any> {
  if (override !== undefined) {
    if (override.trim() === '') throw new UsageError(`--model takes a model name (one of ${names()}), got ''`);
    return modelNamed(override);
  }
  const name = saved.meta.model;
  if (!name) {
    throw new UsageError(`${saved.source}: the trace does not name its model (#meta.model); give --model (one of ${names()})`);
  }
  return modelNamed(name);
}

// Looking up a built-in model by name (on the command line or in a trace's
// #meta.model), with an error that lists what exists, and where worker
// threads load it from.

import type { ModelDef } from '../checker/model.js';
import type { SearchOptions } from '../checker/search.js';
import { UsageError } from '../checker/errors.js';
import { type BuiltInModel, builtInModels } from '../spec/index.js';
import type { SavedTrace } from '../traces/codec.js';
import { withDesigns } from '../checker/extend.js';
import { type LoadedDesignFile, modelSourceWith } from './design-file.js';

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

/** A built-in model with the designs of the user's files beside its own, and where workers load that combination. */
export function modelWithDesigns(name: string, loaded: readonly LoadedDesignFile[]): { model: ModelDef<any, any>; source: ModelSource; added: readonly string[] } {
  // A model from a --model-file of that name comes before a built-in one; workers import it from its transpiled module.
  const fromFile = loaded.flatMap((l) => l.models.map((m) => ({ ...m, url: l.url }))).find((m) => m.model.name === name);
  if (!fromFile && !(name in builtInModels) && loaded.some((l) => l.models.length)) {
    const own = loaded.flatMap((l) => l.models.map((m) => m.model.name));
    throw new UsageError(`unknown model '${name}'; the models are: ${names()}, ${own.join(', ')} (from --model-file)`);
  }
  const b: BuiltInModel = fromFile ? { model: fromFile.model, module: fromFile.url, export: fromFile.export } : builtIn(name);
  if (loaded.every((l) => l.designs.length === 0)) {
    return { model: b.model, source: fromFile ? { kind: 'module', module: b.module, export: b.export } : modelSourceOf(name), added: [] };
  }
  const designs = loaded.flatMap((l) => l.designs);
  return { model: withDesigns(b.model, designs), source: modelSourceWith(b, loaded), added: designs.map((d) => d.name) };
}

/** The design a command runs: --design, else the one design the files add, else the model's own. */
export function designToRun(design: string | undefined, added: readonly string[]): string | undefined {
  if (design !== undefined || added.length === 0) return design;
  if (added.length > 1) throw new UsageError(`the design files add several designs (${added.join(', ')}); choose one with --design`);
  return added[0];
}

export function collectFile(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * The model of a trace (--model, else #meta.model) with the designs of the
 * user's files, and the design to read it under: --design; else the recorded
 * one when the files add it or it is built in and the files add none; else
 * the files' one design.
 */
export function modelOfTraceWith(saved: SavedTrace, override: string | undefined, design: string | undefined, loaded: readonly LoadedDesignFile[]): { model: ModelDef<any, any>; design: string | undefined } {
  const name = override ?? saved.meta.model ?? loaded[0]?.designs[0]?.model;
  if (!name) modelOfTrace(saved, override);
  const { model, added } = modelWithDesigns(name!, loaded);
  if (design !== undefined || added.length === 0 || (saved.meta.design && added.includes(saved.meta.design))) return { model, design };
  return { model, design: designToRun(undefined, added) };
}

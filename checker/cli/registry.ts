// Looking up a model by name, with an error that lists what exists.

import type { ModelDef } from '../model.js';
import { UsageError } from '../errors.js';
import { models } from '../../spec/index.js';

export function modelNamed(name: string): ModelDef<any, any> {
  const m = models[name];
  if (!m) throw new UsageError(`unknown model '${name}'; the models are: ${Object.keys(models).join(', ')}`);
  return m;
}

export function allModels(): readonly ModelDef<any, any>[] {
  return Object.values(models);
}

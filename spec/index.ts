// The built-in models, by the name the command line uses.

import type { ModelDef } from '../checker/model.js';
import { benchModel } from './bench/index.js';
import { passthroughModel } from './passthrough/index.js';

export const models: Readonly<Record<string, ModelDef<any, any>>> = {
  bench: benchModel,
  dax: (await import('./dax/index.js')).daxModel,
  passthrough: passthroughModel,
};

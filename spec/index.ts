// The built-in models, by the name the command line uses, in the order the
// main job (`daxcheck matrix`) prints them: the product first, the benchmark last.

import type { ModelDef } from '../checker/model.js';
import { benchModel } from './bench/index.js';
import { daxModel } from './dax/index.js';
import { passthroughModel } from './passthrough/index.js';

export const models: Readonly<Record<string, ModelDef<any, any>>> = {
  dax: daxModel,
  passthrough: passthroughModel,
  bench: benchModel,
};

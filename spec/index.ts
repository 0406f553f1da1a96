// The built-in models, by the name the command line uses, in the order the
// main job (`daxcheck matrix`) prints them: the product first, the benchmark last.
// Each entry also says where the model lives (module URL and export), which is
// how a parallel search's worker threads load it: they run in their own
// isolates and can import a module, not receive a definition.

import type { ModelDef } from '../checker/model.js';
import { benchModel } from './bench/index.js';
import { daxModel } from './dax/index.js';
import { passthroughModel } from './passthrough/index.js';
import { virtiofsModesModel } from './virtiofs-modes/index.js';

export interface BuiltInModel {
  readonly model: ModelDef<any, any>;
  /** File URL of the compiled module that exports the model. */
  readonly module: string;
  /** The name it is exported under. */
  readonly export: string;
}

// Workers always run the compiled build (dist/), so from the TypeScript
// sources (vitest) the module is the compiled twin of the source file.
const compiledModule = (path: string): string =>
  new URL(import.meta.url.endsWith('.ts') ? `../dist/spec/${path}` : `./${path}`, import.meta.url).href;

export const builtInModels: Readonly<Record<string, BuiltInModel>> = {
  dax: { model: daxModel, module: compiledModule('dax/index.js'), export: 'daxModel' },
  passthrough: { model: passthroughModel, module: compiledModule('passthrough/index.js'), export: 'passthroughModel' },
  'virtiofs-modes': { model: virtiofsModesModel, module: compiledModule('virtiofs-modes/index.js'), export: 'virtiofsModesModel' },
  bench: { model: benchModel, module: compiledModule('bench/index.js'), export: 'benchModel' },
};

export const models: Readonly<Record<string, ModelDef<any, any>>> =
  Object.fromEntries(Object.entries(builtInModels).map(([name, b]) => [name, b.model]));

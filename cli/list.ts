// `daxcheck models` and `daxcheck designs <model>`.

import type { Command } from 'commander';
import type { ConstantDecl } from '../checker/model.js';
import { allModels, modelNamed } from './registry.js';

export function registerLists(program: Command): void {
  program.command('models')
    .description('list the built-in models with their constants')
    .action(() => {
      for (const m of allModels()) {
        process.stdout.write(`${m.name}\t${m.summary}\n`);
        for (const [k, d] of Object.entries(m.constants as Record<string, ConstantDecl>)) {
          const range = d.kind === 'int' ? `${d.lo}..${d.hi}` : d.values.join('|');
          process.stdout.write(`    --const ${k}=<${range}>  (default ${d.default})  ${d.doc}\n`);
        }
      }
    });
  program.command('designs <model>')
    .description('list the designs of a model')
    .action((name: string) => {
      const m = modelNamed(name);
      for (const [d, design] of Object.entries(m.designs)) {
        const dflt = d === m.defaultDesign ? ' (default)' : '';
        process.stdout.write(`${d}${dflt}\t${design.summary}${design.source ? `\n    source: ${design.source}` : ''}\n`);
      }
    });
}

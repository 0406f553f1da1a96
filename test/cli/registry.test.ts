// The built-in models: looked up by name, and importable by the module URL
// and export that spec/index.ts gives, which is how --workers threads load them.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModelDef } from '../../checker/model.js';
import { UsageError } from '../../checker/errors.js';
import { allModels, modelNamed, modelOfTrace, modelSourceOf } from '../../cli/registry.js';
import { builtInModels, models } from '../../spec/index.js';
import { loadTrace } from '../../traces/load.js';
import { daxcheck } from '../../testkit/cli.js';
import { examplesDir } from '../../testkit/traces.js';

describe('built-in models', () => {
  it('each is registered under its own name, and `models` is the same list', () => {
    expect(Object.keys(builtInModels)).toEqual(['dax', 'passthrough', 'virtiofs-modes', 'bench']);
    for (const [name, b] of Object.entries(builtInModels)) {
      expect(b.model.name).toBe(name);
      expect(models[name]).toBe(b.model);
      expect(modelNamed(name)).toBe(b.model);
    }
    expect(allModels()).toEqual(Object.values(builtInModels).map((b) => b.model));
  });

  it('each module URL (the build, as workers run it) exports that model', async () => {
    for (const [name, b] of Object.entries(builtInModels)) {
      expect(b.module).toMatch(/^file:\/\/.*\/dist\/spec\/.*\.js$/);
      const loaded = (await import(b.module) as Record<string, ModelDef<any, any>>)[b.export];
      expect(loaded?.name, name).toBe(name);
      expect(Object.keys(loaded!.designs)).toEqual(Object.keys(b.model.designs));
      expect(Object.keys(loaded!.constants)).toEqual(Object.keys(b.model.constants));
      expect(modelSourceOf(name)).toEqual({ kind: 'module', module: b.module, export: b.export });
    }
  });

  it('an unknown name lists the models', () => {
    expect(() => modelNamed('nosuch')).toThrow(new UsageError("unknown model 'nosuch'; the models are: dax, passthrough, virtiofs-modes, bench"));
    expect(() => modelSourceOf('nosuch')).toThrow(UsageError);
  });

  it('a trace finds its model by #meta.model, or by --model, or says it names none', () => {
    const saved = loadTrace(`${examplesDir}bench.flip-on-ioctl.NoMixedMappings.itf.json`);
    expect(modelOfTrace(saved)).toBe(builtInModels.bench!.model);
    expect(modelOfTrace(saved, 'dax')).toBe(builtInModels.dax!.model);
    const anonymous = { ...saved, meta: { ...saved.meta, model: undefined } };
    expect(() => modelOfTrace(anonymous)).toThrow(/the trace does not name its model \(#meta.model\); give --model \(one of dax, passthrough, virtiofs-modes, bench\)/);
  });
});

describe('the package', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string; dependencies: Record<string, string>; devDependencies: Record<string, string>;
  };

  it('--version prints the version in package.json', () => {
    const r = daxcheck('--version');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it('what the build loads at run time is a dependency, and the package is not its own', () => {
    expect(pkg.dependencies['fast-check']).toBeDefined();
    expect(pkg.devDependencies['fast-check']).toBeUndefined();
    expect(pkg.dependencies['daxcheck']).toBeUndefined();
  });

  it('`daxcheck models` cites the benchmark definition that is in the repository', () => {
    const r = daxcheck('models');
    const cited = /the cross-checker benchmark of (\S+\.md)/.exec(r.stdout)?.[1];
    expect(cited).toBe('bench/dax-modes-bench.md');
    expect(readFileSync(new URL(`../../${cited}`, import.meta.url), 'utf8')).toMatch(/^# Benchmark model: DaxModes\(F, P, design\)/);
  });
});

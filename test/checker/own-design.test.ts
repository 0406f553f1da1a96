// A design loaded from a user's file joins a copy of the model: the built-in
// models, their designs and their kernel words stay a closed list. And
// --avoid-action: the core never takes the avoided action's instances.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { UsageError } from '../../checker/errors.js';
import { withDesigns } from '../../checker/extend.js';
import type { ModelDef } from '../../checker/model.js';
import { check } from '../../checker/search.js';
import { apiModuleUrl, loadDesignFile } from '../../cli/design-file.js';
import { builtInModels } from '../../spec/index.js';
import { daxModel } from '../../spec/dax/index.js';
import { exampleDesign } from '../../testkit/outside.js';

const snapshot = (m: ModelDef<any, any>) => ({
  designs: Object.keys(m.designs), words: Object.keys(m.presentation?.words ?? {}),
  slots: compile(m, undefined).layout.slotNames, actions: compile(m, undefined).actionNames,
});

describe('loading a design file changes no built-in model', () => {
  it('the source models and the compiled ones (the API the file imports) are as before', async () => {
    const api = await import(apiModuleUrl) as { daxModel: ModelDef<any, any>; passthroughModel: ModelDef<any, any> };
    const before = { src: snapshot(daxModel), dist: snapshot(api.daxModel), models: Object.keys(builtInModels) };
    const loaded = await loadDesignFile(exampleDesign);
    expect(loaded.designs.map((d) => d.name)).toEqual(['flip-when-unmapped']);
    const combined = withDesigns(daxModel, loaded.designs);
    const cm = compile(combined, 'flip-when-unmapped');
    expect(cm.actionNames).toContain('Fsync');
    expect(cm.layout.slotNames).toContain('fsynced[f1]');
    expect(Object.keys(combined.designs)).toEqual([...before.src.designs, 'flip-when-unmapped']);
    expect(Object.keys(combined.presentation!.words)).toEqual([...before.src.words, 'Fsync']);
    // The built-in lists are what they were.
    expect({ src: snapshot(daxModel), dist: snapshot(api.daxModel), models: Object.keys(builtInModels) }).toEqual(before);
    expect(Object.keys(daxModel.designs)).toHaveLength(15);
    expect(() => compile(daxModel, 'flip-when-unmapped')).toThrow(UsageError);
  });

  it('a design may not take a built-in design\'s name', async () => {
    const loaded = await loadDesignFile(exampleDesign);
    const clash = loaded.designs.map((d) => ({ ...d, name: 'instantiate-only' }));
    expect(() => withDesigns(daxModel, clash)).toThrow(new UsageError(
      `${exampleDesign}: design instantiate-only: the name is taken; model dax already has a design 'instantiate-only'`));
  });
});

describe('the package exports the API', () => {
  it("package.json's \".\" is the compiled api/index.ts the loader points 'daxcheck' at, with its declarations", async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.exports).toEqual({ '.': { types: './dist/api/index.d.ts', default: './dist/api/index.js' } });
    expect(new URL(`../../${pkg.exports['.'].default.slice(2)}`, import.meta.url).href).toBe(apiModuleUrl);
    expect(existsSync(new URL(`../../${pkg.exports['.'].types.slice(2)}`, import.meta.url))).toBe(true);
    const api = await import(apiModuleUrl) as Record<string, unknown>;
    for (const k of ['defineDesign', 'action', 'actionsOver', 'daxModel', 'passthroughModel', 'flipOnIoctl', 'busyWhileMapped', 'faultByMapping', 'landedPolicy', 'cacheMmapTaintPolicy']) {
      expect(api[k], k).toBeDefined();
    }
  });
});

describe('--avoid-action', () => {
  const cm = compile(daxModel, 'flip-on-ioctl');
  const traceOf = (avoidActions?: string[]) => {
    const r = check(cm, { properties: ['NoMixedMappings'], ...(avoidActions ? { avoidActions } : {}) });
    return r.properties.find((p) => p.name === 'NoMixedMappings')!.trace!.steps.map((s) => s.action);
  };

  it('finds another shortest counterexample without the avoided action', () => {
    expect(traceOf()).toEqual(['Init', 'Open', 'Mmap', 'SetFlag', 'PageFault']);
    // Without faults: a page-cache VMA from before the flip beside a DAX one after (a write is two steps under the lock cut).
    expect(traceOf(['PageFault'])).toEqual(['Init', 'Open', 'Open', 'Mmap', 'SetFlag', 'Mmap']);
  });

  it('a property has no counterexample when every one needs the avoided action (vacuous here: no mapping is ever made)', () => {
    const r = check(cm, { properties: ['NoMixedMappings'], avoidActions: ['Mmap'] });
    expect(r.properties.find((p) => p.name === 'NoMixedMappings')!.status).toBe('vacuous');
    expect(r.coverage.find((c) => c.action === 'Mmap')).toMatchObject({ generated: 0 });
  });

  it('an avoided action still counts as enabled, so no deadlock is made up', () => {
    const all = compile(daxModel, 'instantiate-only').actionNames.filter((a) => a !== 'Open');
    const r = check(compile(daxModel, 'instantiate-only'), { avoidActions: all });
    expect(r.properties.some((p) => p.status === 'violated')).toBe(false);
    expect(r.deadlock).toBeUndefined();
  });

  it('an unknown action is named with the actions there are', () => {
    expect(() => check(cm, { avoidActions: ['Nope'] })).toThrow(new UsageError(
      `--avoid-action Nope: design flip-on-ioctl has no action 'Nope'; its actions are: ${cm.actionNames.join(', ')}`));
  });
});

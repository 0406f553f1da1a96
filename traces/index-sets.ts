// The index sets of a schema (files, processes, VMA slots), by name, with
// their sizes: what the trace page draws as lanes and the reproducer counts.

import type { Domain, RecordDomain } from '../checker/domain.js';

/** Every index set an array of the schema ranges over, in schema order, by prefix (`f` -> 2). */
export function indexSets(schema: RecordDomain): ReadonlyMap<string, number> {
  const sizes = new Map<string, number>();
  const walk = (d: Domain) => {
    if (d.kind === 'array') {
      sizes.set(d.index.prefix, Math.max(sizes.get(d.index.prefix) ?? 0, d.index.size));
      walk(d.element);
    } else if (d.kind === 'record') {
      for (const f of Object.values(d.fields)) walk(f);
    }
  };
  walk(schema);
  return sizes;
}

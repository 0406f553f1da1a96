// A decoded state as a flat list of (variable path, value), the unit in which
// a step's changes are shown: `vma[p1][f2]: NONE -> PC`.

export type Flat = Map<string, unknown>;

export function flatten(state: unknown, prefix = '', out: Flat = new Map()): Flat {
  if (Array.isArray(state)) {
    state.forEach((v, i) => flatten(v, `${prefix}[${i + 1}]`, out));
  } else if (state !== null && typeof state === 'object') {
    for (const [k, v] of Object.entries(state)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, state);
  }
  return out;
}

export interface Change { readonly variable: string; readonly before: unknown; readonly after: unknown }

/**
 * Flattens with the model's own variable names (`vma[p1][f2]`) when given:
 * flatten walks a decoded state in slot order, so the names line up.
 */
export function flattenNamed(state: unknown, names?: readonly string[]): Flat {
  const flat = flatten(state);
  if (!names || names.length !== flat.size) return flat;
  const values = [...flat.values()];
  return new Map(names.map((n, i) => [n, values[i]]));
}

export function changes(before: unknown, after: unknown, names?: readonly string[]): Change[] {
  const a = flattenNamed(before, names);
  const b = flattenNamed(after, names);
  const out: Change[] = [];
  for (const [k, v] of b) {
    const old = a.get(k);
    if (old !== v) out.push({ variable: k, before: old, after: v });
  }
  return out;
}

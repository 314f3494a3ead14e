/** Every leaf of a JSON value by its JSON Pointer (an empty object or array counts as a leaf). */
function leaves(value: unknown, path: string, out: Map<string, unknown>): Map<string, unknown> {
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(path, Array.isArray(value) ? [] : {});
    for (const [key, child] of entries) leaves(child, `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
  } else {
    out.set(path, value);
  }
  return out;
}

/**
 * The JSON Pointers whose value differs between two documents (added, removed or changed), sorted.
 * The ownership check of a module: diff the document before and after its update and every path
 * must lie inside the module's own section (plus the store's bookkeeping: revision, updatedAt).
 */
export function changedPaths(before: unknown, after: unknown): string[] {
  const a = leaves(before, '', new Map());
  const b = leaves(after, '', new Map());
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths].filter((p) => !(a.has(p) && b.has(p) && Object.is(a.get(p), b.get(p)))).sort();
}

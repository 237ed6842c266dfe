/** Replace `{{args.a.b}}` with the argument at that path (JSON for non-strings, empty when absent). */
export function renderArgs(text: string, args: Record<string, unknown>): string {
  return text.replace(/\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g, (_m, path: string) => {
    let v: unknown = args;
    for (const key of path.split('.'))
      v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    if (v === undefined) return '';
    return typeof v === 'string' ? v : JSON.stringify(v);
  });
}

/** Deep-render every string in a JSON value. */
export function renderDeep<T>(value: T, args: Record<string, unknown>): T {
  if (typeof value === 'string') return renderArgs(value, args) as T;
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, args)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, args)])) as T;
  }
  return value;
}

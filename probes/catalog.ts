import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * A tool catalogue reduced to what drift is about (name, description, schemas), in a
 * canonical form: tools sorted by name, object keys sorted, so equal catalogues hash equal.
 */
export const CatalogToolSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  inputSchema: z.unknown().optional(),
  outputSchema: z.unknown().optional(),
});
export type CatalogTool = z.infer<typeof CatalogToolSchema>;

/** The pinned snapshot file (`tools` module `snapshot:`), written by `--update-snapshots`. */
export const CatalogSnapshotSchema = z.object({ tools: z.array(CatalogToolSchema) });
export type CatalogSnapshot = z.infer<typeof CatalogSnapshotSchema>;

export interface Drift {
  added: string[];
  removed: string[];
  /** Tools whose description or schemas changed. */
  changed: string[];
}

export function canonicalCatalog(tools: ReadonlyArray<Record<string, unknown>>): CatalogTool[] {
  return tools
    .map((t) => ({
      name: String(t.name),
      description: typeof t.description === 'string' ? t.description : undefined,
      inputSchema: sortKeys(t.inputSchema),
      outputSchema: sortKeys(t.outputSchema),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** First 32 bits of the SHA-256 of the canonical catalogue: a gauge value that changes with it. */
export function catalogHash(catalog: readonly CatalogTool[]): number {
  return createHash('sha256').update(JSON.stringify(catalog)).digest().readUInt32BE(0);
}

export function diffCatalogs(before: readonly CatalogTool[], after: readonly CatalogTool[]): Drift {
  const old = new Map(before.map((t) => [t.name, JSON.stringify(t)]));
  const now = new Map(after.map((t) => [t.name, JSON.stringify(t)]));
  return {
    added: [...now.keys()].filter((n) => !old.has(n)),
    removed: [...old.keys()].filter((n) => !now.has(n)),
    changed: [...now.keys()].filter((n) => old.has(n) && old.get(n) !== now.get(n)),
  };
}

export function driftCount(d: Drift): number {
  return d.added.length + d.removed.length + d.changed.length;
}

/** One line per kind of change, names clipped to a few (details stay bounded). */
export function describeDrift(d: Drift, max = 10): string[] {
  const line = (what: string, names: string[]) =>
    names.length === 0
      ? []
      : [
          `${what}: ${names.slice(0, max).join(', ')}${names.length > max ? ` (+${names.length - max} more)` : ''}`,
        ];
  return [...line('added', d.added), ...line('removed', d.removed), ...line('schema changed', d.changed)];
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
  return out;
}

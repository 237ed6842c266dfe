import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import {
  CatalogSnapshotSchema,
  type CatalogTool,
  canonicalCatalog,
  catalogHash,
  describeDrift,
  diffCatalogs,
  driftCount,
} from '../catalog.js';
import { defineProbeModule, type ModuleOutcome, requestOptions } from './types.js';

/**
 * List every page of tools; catalogue drift (added / removed tools, changed schemas) against a
 * pinned snapshot file, or against what the previous probe of this target and module saw.
 */
export const toolsModule = defineProbeModule({
  kind: 'tools',
  summary: 'list every page of tools and detect catalogue drift',
  paths: ['snapshot'],
  schema: z
    .object({
      kind: z.literal('tools'),
      snapshot: z
        .string()
        .min(1)
        .optional()
        .describe('pinned catalogue (JSON, relative to the config); default: the previous probe'),
      failOnDrift: z
        .boolean()
        .optional()
        .describe(
          'fail the probe on drift (default: true against a snapshot, false against the previous probe)',
        ),
      minTools: z.number().int().min(0).default(0).describe('fail when fewer tools are listed'),
    })
    .strict(),
  async run(spec, ctx): Promise<ModuleOutcome> {
    const { client } = await ctx.connect();
    // No cursor: the SDK follows every nextCursor (bounded by its page cap) on this fresh connection.
    const { tools } = await ctx.phase('list', () => client.listTools(undefined, requestOptions(ctx)));
    const catalog = canonicalCatalog(tools as unknown as Array<Record<string, unknown>>);
    const measured = { tools: catalog.length, catalogHash: catalogHash(catalog) };
    let baseline: readonly CatalogTool[] | undefined;
    if (spec.snapshot) {
      if (ctx.updateSnapshots) {
        await mkdir(dirname(spec.snapshot), { recursive: true });
        await writeFile(spec.snapshot, `${JSON.stringify({ tools: catalog }, null, 2)}\n`);
      }
      const loaded = await readSnapshot(spec.snapshot);
      if (typeof loaded === 'string')
        return { ok: false, kind: 'drift', reason: loaded, ...measured, changed: 0 };
      baseline = loaded;
    } else {
      const key = `${ctx.target.name}\u0000${ctx.moduleName}`;
      baseline = ctx.previous.get(key) as CatalogTool[] | undefined;
      ctx.previous.set(key, catalog);
    }
    const drift = baseline ? diffCatalogs(baseline, catalog) : { added: [], removed: [], changed: [] };
    const changed = driftCount(drift);
    const details = describeDrift(drift);
    const failOnDrift = spec.failOnDrift ?? spec.snapshot !== undefined;
    if (failOnDrift && changed > 0) {
      return {
        ok: false,
        kind: 'drift',
        reason: `catalogue drift: ${details.join('; ')}`,
        ...measured,
        changed,
        details,
      };
    }
    if (catalog.length < spec.minTools) {
      const reason = `${catalog.length} tools listed, expected at least ${spec.minTools}`;
      return { ok: false, kind: 'protocol', reason, ...measured, changed, details };
    }
    return { ok: true, ...measured, changed, details };
  },
});

async function readSnapshot(file: string): Promise<CatalogTool[] | string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return `snapshot ${file} is missing: write it with \`mcp-harness probe --once --update-snapshots\``;
  }
  try {
    const parsed = CatalogSnapshotSchema.safeParse(JSON.parse(text));
    if (parsed.success) return canonicalCatalog(parsed.data.tools as Array<Record<string, unknown>>);
    return `snapshot ${file} is not a catalogue ({"tools": [{name, inputSchema…}]}): ${parsed.error.issues[0]?.message}`;
  } catch (e) {
    return `snapshot ${file} is not JSON: ${(e as Error).message}`;
  }
}

import type { Client, Tool } from '@modelcontextprotocol/client';
import { clip } from '../runner/outcome.js';
import type { NamingSpec } from '../schema/target.js';
import { type Access, AccessListSchema, type AccessTool } from './access.js';
import { buildToolMap } from './naming.js';

/**
 * What an access adapter found on an opened SUT: the tools it lists, each
 * mapped to a logical `server.tool` (the adapter's `logical`, else the
 * target's naming rule: origin tags in descriptions, prefixes), and the name
 * a call by that tool goes to `call` with. Built once when the SUT is opened.
 */
export interface AccessRoutes {
  readonly access: Access;
  /** The adapter's listing as MCP tools (what a client of the adapter sees). */
  readonly tools: Tool[];
  /** Why the adapter could not list, when it could not. */
  readonly error: string | undefined;
  /** The adapter name of a logical tool, when exactly one tool maps to it. */
  route(logical: string): string | undefined;
  /** Why `logical` has no single adapter name (two tools claim it, or a name the SUT lists itself). */
  conflict(logical: string): string | undefined;
  /** The logical tool a name reached through the adapter stands for (names the SUT lists itself excluded). */
  routed(name: string): string | undefined;
}

export async function accessRoutes(
  access: Access,
  client: Client,
  naming: NamingSpec,
  fleetTools: readonly string[],
  listedBySut: readonly string[],
): Promise<AccessRoutes> {
  let listed: AccessTool[] = [];
  let error: string | undefined;
  try {
    const parsed = AccessListSchema.safeParse(await access.list(client));
    if (parsed.success) listed = parsed.data;
    else
      error = `list() returned ${clip(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), 200)}`;
  } catch (e) {
    error = `list() failed: ${clip((e as Error)?.message ?? String(e), 200)}`;
  }
  const tools: Tool[] = listed.map(({ logical: _l, ...t }) => ({
    ...t,
    inputSchema: (t.inputSchema ?? { type: 'object' }) as Tool['inputSchema'],
  })) as Tool[];
  const byNaming = buildToolMap(tools, naming, fleetTools);
  const own = new Set(listedBySut);
  const claims = new Map<string, string[]>();
  for (const t of listed) {
    const logical = t.logical ?? byNaming.logical(t.name);
    if (logical === undefined) continue;
    claims.set(logical, [...(claims.get(logical) ?? []), t.name]);
  }
  const owners = new Map<string, string[]>();
  for (const [logical, names] of claims)
    for (const n of new Set(names)) owners.set(n, [...(owners.get(n) ?? []), logical]);
  const routes = new Map<string, string>();
  const conflicts = new Map<string, string>();
  for (const [logical, names] of claims) {
    const unique = [...new Set(names)];
    const shared = (owners.get(unique[0] as string) ?? []).filter((l) => l !== logical);
    if (unique.length > 1)
      conflicts.set(
        logical,
        `the access adapter lists '${logical}' as ${unique.map((n) => `'${n}'`).join(' and ')}`,
      );
    else if (shared.length > 0)
      conflicts.set(
        logical,
        `the access adapter lists '${logical}' and '${shared.join("', '")}' as one name '${unique[0]}'`,
      );
    else if (own.has(unique[0] as string))
      conflicts.set(
        logical,
        `the access adapter's name '${unique[0]}' for '${logical}' is a tool the SUT lists itself`,
      );
    else routes.set(logical, unique[0] as string);
  }
  const names = new Map([...routes].map(([logical, name]) => [name, logical]));
  return {
    access,
    tools,
    error,
    route: (logical) => routes.get(logical),
    conflict: (logical) => conflicts.get(logical),
    routed: (name) => names.get(name),
  };
}

import type { Resource } from '@modelcontextprotocol/client';
import { type ServerSpec, servedEra } from '../../schema/fleet.js';
import { serversServing } from '../cross-era/util.js';
import { exposedResource } from '../gateway/resources-routed.js';
import { onWire, type Wire } from '../http/wire.js';
import { warmUpFailed } from '../needs.js';
import { check, fail, pass, skip, type Verdict } from '../types.js';
import { describeExchange, discovered, sendModern } from './wire.js';

/**
 * 2026-07-28 servers MUST put `ttlMs` and `cacheScope` on complete results
 * of tools/list, resources/list, resources/templates/list, prompts/list and
 * resources/read (and server/discover, not asked here). A gateway
 * answering for its backends is such a server, and the hints it gives must
 * not promise more than the backends did: a result of a `private` backend
 * (cached only within one authorization context) must not become `public`
 * (shared across them), and freshness the backend did not grant (a longer
 * ttlMs) must not be invented. Lowering ttlMs or narrowing the scope is allowed.
 */

export interface CacheHint {
  ttlMs: number;
  cacheScope: 'public' | 'private';
}

/** What a backend says of its results: its `cache` hints in 2026-07-28; none in 2025 (absent ttlMs means 0). */
export function hintOf(server: ServerSpec): CacheHint {
  return servedEra(server) === 'legacy' ? { ttlMs: 0, cacheScope: 'private' } : server.cache;
}

/** The most an aggregate of `servers`' results may claim: the shortest ttl, private if any is private. */
export function boundOf(servers: readonly ServerSpec[]): CacheHint {
  const hints = servers.map(hintOf);
  return {
    ttlMs: Math.min(...hints.map((h) => h.ttlMs)),
    cacheScope: hints.some((h) => h.cacheScope === 'private') ? 'private' : 'public',
  };
}

/** What is wrong with the hints on `result` against `bound` (empty: nothing). */
export function hintProblems(what: string, result: Record<string, unknown>, bound: CacheHint): string[] {
  const { ttlMs, cacheScope } = result;
  const problems: string[] = [];
  if (typeof ttlMs !== 'number' || !Number.isInteger(ttlMs) || ttlMs < 0)
    problems.push(`${what}: ttlMs ${ttlMs === undefined ? 'missing' : JSON.stringify(ttlMs)}`);
  else if (ttlMs > bound.ttlMs) problems.push(`${what}: ttlMs ${ttlMs} > ${bound.ttlMs} the backends gave`);
  if (cacheScope !== 'public' && cacheScope !== 'private')
    problems.push(`${what}: cacheScope ${cacheScope === undefined ? 'missing' : JSON.stringify(cacheScope)}`);
  else if (cacheScope === 'public' && bound.cacheScope === 'private')
    problems.push(`${what}: cacheScope public, widened from the backends' private`);
  return problems;
}

const LISTS = [
  ['tools/list', (s: ServerSpec) => s.tools.length > 0],
  ['resources/list', (s: ServerSpec) => s.resources.length > 0],
  ['resources/templates/list', (s: ServerSpec) => s.resourceTemplates.length > 0],
  ['prompts/list', (s: ServerSpec) => s.prompts.length > 0],
] as const;

export const cacheHints = check({
  id: 'modern.cache-hints',
  title: 'lists and reads carry ttlMs/cacheScope no longer or wider than the backends gave',
  suite: 'modern',
  specRef:
    'MCP 2026-07-28 server/utilities/caching (servers MUST include ttlMs and cacheScope on complete list and read ' +
    'results; a private result MUST NOT be shared across authorization contexts; ttlMs is how long the result MAY be considered fresh)',
  severity: 'must',
  concurrent: true,
  eras: ['modern'],
  expected:
    'tools/list, resources/list, resources/templates/list, prompts/list and resources/read of a 2026-07-28 backend’s ' +
    'resource each carry an integer ' +
    'ttlMs ≥ 0 and a cacheScope; ttlMs at most the shortest the contributing backends gave (0 for a 2025 backend, which gives none), ' +
    'cacheScope public only when every contributing backend said public',
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const unserved = await discovered(wire);
      if (unserved) return unserved;
      const seen: Record<string, unknown> = {};
      const problems: string[] = [];
      let listedResources: Resource[] = [];
      for (const [method, has] of LISTS) {
        const from = ctx.fleet.spec.servers.filter(has);
        if (from.length === 0) continue;
        const x = await sendModern(wire, method);
        if (!x.result) return warmUpFailed(method, describeExchange(x));
        if (method === 'resources/list') listedResources = (x.result.resources as Resource[]) ?? [];
        const bound = boundOf(from);
        seen[method] = { ttlMs: x.result.ttlMs, cacheScope: x.result.cacheScope, bound };
        problems.push(...hintProblems(method, x.result, bound));
      }
      const read = await readOne(wire, serversServing(ctx, ['modern', 'dual']), listedResources);
      if (read && 'verdict' in read) return read.verdict;
      if (read) {
        seen[read.what] = { ttlMs: read.result.ttlMs, cacheScope: read.result.cacheScope, bound: read.bound };
        problems.push(...hintProblems(read.what, read.result, read.bound));
      }
      if (Object.keys(seen).length === 0) return skip('the fleet serves no tools, resources or prompts');
      const asked = Object.keys(seen).join(', ');
      return problems.length === 0
        ? pass(
            `hints within the backends' on ${asked}${read ? '' : ' (no 2026-07-28 backend resource to read)'}`,
            {
              seen,
            },
          )
        : fail(problems.join('; '), { seen });
    }),
});

/** resources/read of the first listed resource of a 2026-07-28 backend (undefined when there is none). */
async function readOne(
  wire: Wire,
  servers: readonly ServerSpec[],
  listed: readonly Resource[],
): Promise<
  { verdict: Verdict } | { what: string; result: Record<string, unknown>; bound: CacheHint } | undefined
> {
  for (const server of servers) {
    for (const r of server.resources) {
      const found = exposedResource(listed, server.name, r);
      const item = found && 'item' in found ? found.item : undefined;
      if (!item) continue;
      const what = `resources/read ${item.uri}`;
      const x = await sendModern(wire, 'resources/read', { uri: item.uri });
      if (!x.result) return { verdict: warmUpFailed(what, describeExchange(x)) };
      return { what, result: x.result, bound: hintOf(server) };
    }
  }
  return undefined;
}

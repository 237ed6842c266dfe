import { describeCall, resolveTools } from '../gateway/resilience-util.js';
import { check, fail, pass, skip } from '../types.js';
import { eraClient, isVerdict, plain, serversServing, toolOf } from './util.js';

/**
 * Modern client ↔ 2025 backend: a gateway serving 2026-07-28 clients must
 * still federate the servers that speak only 2025-11-25 (most deployed ones),
 * translating each request into the backend's session.
 */
export const modernClientLegacyBackend = check({
  id: 'cross-era.modern-client-legacy-backend',
  title: 'a 2026-07-28 client lists and calls the tools of 2025-only backends',
  suite: 'cross-era',
  specRef:
    'MCP 2026-07-28 basic/lifecycle §Version negotiation (a 2026-07-28 client served) over MCP 2025-11-25 ' +
    'backends (initialize, sessions): the gateway bridges the two',
  severity: 'must',
  concurrent: true,
  eras: ['modern'],
  expected:
    'a client pinned to 2026-07-28 sees a tool of every 2025-only fleet server in tools/list and its call ' +
    'answers as the backend answered',
  async run(ctx) {
    const legacy = serversServing(ctx, ['legacy'])
      .map((s) => toolOf(s, plain))
      .filter((t): t is string => t !== undefined);
    if (legacy.length === 0) return skip('the fleet has no 2025-only server with a plain tool');
    const r = await resolveTools(ctx, legacy);
    if (!r.names) return r.verdict;
    const client = await eraClient(ctx, 'modern');
    if (isVerdict(client)) return client;
    const listed = new Set((await client.session.tools()).map((t) => t.name));
    const problems: string[] = [];
    const seen: Record<string, string> = {};
    for (const [i, name] of r.names.entries()) {
      const logical = legacy[i]!;
      if (!listed.has(name))
        problems.push(`${logical} (${name}) is not in the 2026-07-28 client's tools/list`);
      const call = await client.session.call(name);
      seen[logical] = describeCall(call);
      if (call.outcome !== 'ok') problems.push(`${logical}: ${describeCall(call)}`);
    }
    return problems.length === 0
      ? pass(`listed and answered for a 2026-07-28 client: ${legacy.join(', ')}`, { seen })
      : fail(problems.join('; '), { seen });
  },
});

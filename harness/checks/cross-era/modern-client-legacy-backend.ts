import { describeCall, listedAs } from '../gateway/resilience-util.js';
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
    const client = await eraClient(ctx, 'modern');
    if (isVerdict(client)) return client;
    let tools = await client.session.tools();
    // A backend the gateway was still connecting to may join the list a moment later: list once more.
    const missing = (list: typeof tools) =>
      legacy.some((l) => !listedAs(ctx, list, ...(l.split('.') as [string, string])));
    if (missing(tools)) tools = await client.session.tools();
    const problems: string[] = [];
    const seen: Record<string, string> = {};
    for (const logical of legacy) {
      const [server, tool] = logical.split('.') as [string, string];
      const listed = listedAs(ctx, tools, server, tool);
      if (!listed) {
        problems.push(`${logical} is not in the 2026-07-28 client's tools/list`);
        continue;
      }
      const call = await client.session.call(listed.name);
      seen[logical] = describeCall(call);
      if (call.outcome !== 'ok') problems.push(`${logical}: ${describeCall(call)}`);
    }
    return problems.length === 0
      ? pass(`listed and answered for a 2026-07-28 client: ${legacy.join(', ')}`, { seen })
      : fail(problems.join('; '), { seen });
  },
});

import { describeCall, listedAs } from '../gateway/resilience-util.js';
import { check, fail, pass, skip } from '../types.js';
import { erasSeen, plain, serversServing, toolOf } from './util.js';

/**
 * 2025 client ↔ 2026-07-28 backend: a backend that advertises only
 * 2026-07-28 in server/discover (dual, or modern-only) must still be
 * federated for the gateway's 2025 clients. A gateway that reads
 * `supportedVersions` as "no 2025 client may use this" loses it.
 */
export const legacyClientModernBackend = check({
  id: 'cross-era.legacy-client-modern-backend',
  title: 'a 2025 client lists and calls the tools of backends that speak 2026-07-28',
  suite: 'cross-era',
  specRef:
    'MCP 2026-07-28 basic/lifecycle §Discovery (server/discover lists only 2026-07-28) and MCP 2025-11-25 ' +
    'basic/lifecycle (the 2025 client keeps its session): the gateway bridges the two',
  severity: 'must',
  concurrent: true,
  eras: ['legacy'],
  expected:
    'through a 2025-11-25 session, a tool of every fleet server that serves 2026-07-28 (dual or modern-only) ' +
    'is listed and its call answers as the backend answered',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const servers = serversServing(ctx, ['modern', 'dual']);
    const modern = servers.map((s) => toolOf(s, plain)).filter((t): t is string => t !== undefined);
    if (modern.length === 0) return skip('the fleet has no server that serves 2026-07-28');
    let tools = await ctx.session.tools();
    // A backend the gateway was still connecting to may join the list a moment later: list once more.
    const missing = (list: typeof tools) =>
      modern.some((l) => !listedAs(ctx, list, ...(l.split('.') as [string, string])));
    if (missing(tools)) tools = await ctx.session.tools();
    const problems: string[] = [];
    const seen: Record<string, unknown> = {};
    for (const logical of modern) {
      const [server, tool] = logical.split('.') as [string, string];
      const listed = listedAs(ctx, tools, server, tool);
      if (!listed) {
        problems.push(`${logical} is not in the 2025 client's tools/list`);
        continue;
      }
      const call = await ctx.session.call(listed.name);
      seen[logical] = { call: describeCall(call), backendEras: await erasSeen(ctx, server, tool) };
      if (call.outcome !== 'ok') problems.push(`${logical}: ${describeCall(call)}`);
    }
    return problems.length === 0
      ? pass(`listed and answered for a 2025 client: ${modern.join(', ')}`, { seen })
      : fail(problems.join('; '), { seen });
  },
});

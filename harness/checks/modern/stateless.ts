import { CLIENT_INFO_META_KEY } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { plain, serversServing, toolOf } from '../cross-era/util.js';
import { resolveTools } from '../gateway/resilience-util.js';
import { onWire, type Wire } from '../http/wire.js';
import { check, fail, pass, skip } from '../types.js';
import { describeExchange, discovered, type ModernExchange, sendModern } from './wire.js';

/**
 * `checks.modern` options of this check, from the target file:
 *   replicas: [http://gw-2:8080/mcp]   # other instances of the same gateway (same backends)
 */
export const StatelessOptionsSchema = z.object({
  replicas: z.array(z.string().url()).min(1).optional(),
});

/** A request's outcome in words, with the instance that answered it. */
const said = (x: ModernExchange) =>
  x.result?.isError ? `an isError result (HTTP ${x.reply.status})` : describeExchange(x);

/**
 * 2026-07-28 has no initialize and no session: every request carries its
 * protocol version, client info and capabilities, so any instance can answer
 * any request. A client that never sent server/discover calls a tool
 * straight away, then lists and calls again, each request (where the target
 * declares other instances) to the next instance.
 */
export const stateless = check({
  id: 'modern.stateless',
  title: 'a request without a session or a prior discover is answered (by any instance)',
  suite: 'modern',
  specRef:
    'MCP 2026-07-28 basic/lifecycle and basic/transports (no initialization and no session: each request carries ' +
    'its protocol version and client capabilities in _meta; server/discover is optional)',
  severity: 'must',
  concurrent: true,
  eras: ['modern'],
  expected:
    'a client unknown to the SUT calls a plain tool as its first request (no server/discover, no Mcp-Session-Id), ' +
    'then lists tools and calls it again: all three answered with results; with checks.modern.replicas, ' +
    'consecutive requests go to different instances',
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const parsed = StatelessOptionsSchema.safeParse(ctx.options);
      if (!parsed.success)
        return skip(
          `invalid checks.modern options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      const unserved = await discovered(wire);
      if (unserved) return unserved;
      const preferred = [...serversServing(ctx, ['modern', 'dual']), ...ctx.fleet.spec.servers];
      const logical = preferred.map((s) => toolOf(s, plain)).find((t) => t !== undefined);
      if (!logical) return skip('the fleet has no plain tool to call');
      const r = await resolveTools(ctx, [logical]);
      if (!r.names) return r.verdict;
      const [name] = r.names as [string];

      const instances: Wire[] = [wire, ...(parsed.data.replicas ?? []).map((url) => ({ ...wire, url }))];
      const at = (i: number) => instances[i % instances.length]!;
      // A client no instance has seen: its own clientInfo, no discover, no session.
      const envelope = {
        [CLIENT_INFO_META_KEY]: {
          name: `mcp-harness-stateless-${Math.random().toString(36).slice(2, 10)}`,
          version: '0.1.0',
        },
      };
      const steps: Array<[string, () => Promise<ModernExchange>]> = [
        [
          'tools/call (first request)',
          () => sendModern(at(0), 'tools/call', { name, arguments: {} }, { envelope }),
        ],
        ['tools/list', () => sendModern(at(1), 'tools/list', {}, { envelope })],
        ['tools/call', () => sendModern(at(2), 'tools/call', { name, arguments: {} }, { envelope })],
      ];
      const seen: Array<{ request: string; instance: string; answer: string; sessionId?: string }> = [];
      const problems: string[] = [];
      for (const [i, [what, send]] of steps.entries()) {
        const x = await send();
        const sessionId = x.reply.headers.get('mcp-session-id') ?? undefined;
        seen.push({
          request: what,
          instance: at(i).url,
          answer: said(x),
          ...(sessionId ? { sessionId } : {}),
        });
        const listed =
          what !== 'tools/list' ||
          (x.result?.tools as Array<{ name: string }> | undefined)?.some((t) => t.name === name);
        if (!x.result || x.result.isError) problems.push(`${what} → ${said(x)}`);
        else if (!listed) problems.push(`${what} does not list ${name}`);
      }
      const where =
        instances.length > 1
          ? `across ${instances.length} instances`
          : 'on the single endpoint (no checks.modern.replicas declared: one instance asked)';
      return problems.length === 0
        ? pass(
            `a client that never sent server/discover was answered ${where}: ${seen.map((s) => s.request).join(', ')}`,
            {
              seen,
            },
          )
        : fail(`${problems.join('; ')} (${where})`, { seen });
    }),
});

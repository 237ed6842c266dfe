import type { ServerCapabilities } from '@modelcontextprotocol/client';
import type { ServerSpec } from '../../schema/fleet.js';
import { blocked, check, fail, pass, skip } from '../types.js';
import { type Probe, probeCompletion, probeSetLevel, probeSubscribe } from './capability-probes.js';

/** The capabilities a gateway passes through from its servers, and how the fleet declares each. */
const RELAYED = [
  {
    name: 'completions',
    offers: (s: ServerSpec) => s.capabilities.completions,
    advertised: (c: ServerCapabilities) => c.completions !== undefined,
  },
  {
    name: 'logging',
    offers: (s: ServerSpec) => s.capabilities.logging,
    advertised: (c: ServerCapabilities) => c.logging !== undefined,
  },
  {
    name: 'resources.subscribe',
    offers: (s: ServerSpec) => s.capabilities.subscribe,
    advertised: (c: ServerCapabilities) => c.resources?.subscribe === true,
  },
] as const;

/**
 * Capabilities both ways: what every server behind the gateway offers
 * (completions, logging, resource subscriptions), the gateway advertises;
 * and what it advertises, it relays to the right server — completion values
 * of the server that owns the prompt or template, logging/setLevel
 * accepted, resources/subscribe forwarded and the server's
 * notifications/resources/updated delivered. A capability only some servers
 * offer need not be advertised.
 */
export const capabilitiesRelayed = check({
  id: 'gateway.capabilities-relayed',
  title: 'capabilities every server offers are advertised, and relayed to the right server',
  suite: 'gateway',
  // Capabilities of the initialize answer, probed with logging/setLevel and resources/subscribe (both 2025-only).
  eras: ['legacy'],
  specRef:
    'MCP 2025-11-25 basic/lifecycle §Capability Negotiation; server/utilities/completion; server/utilities/logging; ' +
    'server/resources §Subscriptions; practice: an aggregator offers what all its servers offer',
  severity: 'must',
  concurrent: true,
  expected:
    'completions, logging and resources.subscribe are advertised when every fleet server offers them; when advertised, ' +
    'completion/complete returns the owning server’s values, logging/setLevel is accepted, and resources/subscribe ' +
    'brings the server’s notifications/resources/updated to the client',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const servers = ctx.fleet.spec.servers;
    const session = await ctx.open({ label: 'capabilities-relayed' });
    const client = session.connection.client;
    const caps = client.getServerCapabilities() ?? {};
    const problems: string[] = [];
    const seen: string[] = [];
    const unserved: string[] = [];
    for (const c of RELAYED) {
      const offering = servers.filter(c.offers);
      const every = offering.length === servers.length;
      if (!c.advertised(caps)) {
        const who = every
          ? 'every server'
          : offering.length
            ? offering.map((s) => s.name).join(', ')
            : 'no server';
        (every ? problems : seen).push(`${c.name} not advertised (offered by ${who})`);
        continue;
      }
      let probe: Probe | undefined;
      if (c.name === 'completions') probe = await probeCompletion(ctx, client, offering);
      else if (c.name === 'logging') probe = await probeSetLevel(ctx, client);
      else probe = await probeSubscribe(ctx, client, offering);
      if (!probe) {
        seen.push(`${c.name} advertised; the fleet gives nothing to exercise it with`);
        continue;
      }
      if (probe.unserved) unserved.push(`${c.name}: ${probe.says}`);
      else (probe.ok ? seen : problems).push(probe.says);
    }
    const observed = [...problems, ...seen].join('; ');
    if (problems.length > 0) return fail(observed);
    if (unserved.length > 0)
      return blocked(
        `advertised but not served (-32601): ${unserved.join('; ')}`,
        'gateway.capabilities-honest',
      );
    return pass(observed);
  },
});

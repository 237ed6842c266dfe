import { clip } from '../../runner/outcome.js';
import { check, fail, pass, skip } from '../types.js';
import { answer, listAll } from './catalogue-util.js';

/**
 * The capabilities of the initialize result match what the gateway serves:
 * tools always (the fleet has tools), resources and prompts exactly when the
 * fleet behind it has some and the lists answer.
 */
export const capabilitiesHonest = check({
  id: 'gateway.capabilities-honest',
  title: 'advertised capabilities match what the gateway serves',
  suite: 'gateway',
  // Capabilities of the initialize answer, probed with logging/setLevel and resources/subscribe (both 2025-only).
  eras: ['legacy'],
  specRef:
    'MCP 2025-11-25 basic/lifecycle §Capability Negotiation; server/tools, server/resources, server/prompts §Capabilities',
  severity: 'must',
  concurrent: true,
  expected:
    'initialize advertises tools, and advertises resources / prompts exactly when the fleet serves some (and then their lists answer); every other advertised capability (completions, logging, resources.subscribe) is served: its method exists',
  async run(ctx) {
    const session = ctx.session;
    if (!session) return skip('no single endpoint');
    const client = session.connection.client;
    const caps = client.getServerCapabilities() ?? {};
    const servers = ctx.fleet.spec.servers;
    const problems: string[] = [];
    const seen: string[] = [`advertised: ${Object.keys(caps).sort().join(', ') || 'nothing'}`];

    if (servers.some((s) => s.tools.length > 0) && !caps.tools) {
      problems.push('tools not advertised although the fleet serves tools');
    }
    const kinds = [
      { cap: 'resources', method: 'resources/list', has: servers.some((s) => s.resources.length > 0) },
      { cap: 'prompts', method: 'prompts/list', has: servers.some((s) => s.prompts.length > 0) },
    ] as const;
    for (const k of kinds) {
      const advertised = caps[k.cap] !== undefined;
      const listed = await answer(listAll(client, k.method, ctx));
      const count = listed.kind === 'result' ? (listed.result.items as unknown[]).length : undefined;
      seen.push(
        `${k.method}: ${listed.kind === 'result' ? `${count} item(s)` : `error ${listed.code}: ${clip(listed.message, 80)}`}`,
      );
      if (k.has && !advertised) problems.push(`${k.cap} not advertised although the fleet serves ${k.cap}`);
      if (advertised && listed.kind === 'error') problems.push(`${k.cap} advertised but ${k.method} fails`);
      if (k.has && listed.kind === 'result' && count === 0)
        problems.push(`${k.method} is empty although the fleet serves ${k.cap}`);
    }
    // Every advertised capability is served: its method may refuse the probe's made-up reference, but
    // must exist (gateway.capabilities-relayed judges what the answers say).
    const served = [
      {
        cap: 'completions',
        on: caps.completions !== undefined,
        method: 'completion/complete',
        params: {
          ref: { type: 'ref/prompt', name: 'mcp-harness-probe' },
          argument: { name: 'x', value: '' },
        },
      },
      {
        cap: 'logging',
        on: caps.logging !== undefined,
        method: 'logging/setLevel',
        params: { level: 'debug' },
      },
      {
        cap: 'resources.subscribe',
        on: caps.resources?.subscribe === true,
        method: 'resources/subscribe',
        params: { uri: 'mcp-harness://probe/none' },
      },
    ] as const;
    for (const p of served.filter((x) => x.on)) {
      const done = await answer(
        client.request({ method: p.method, params: p.params } as never, {
          timeout: ctx.timeoutMs,
          signal: ctx.signal,
        }),
      );
      seen.push(`${p.method}: ${done.kind === 'result' ? 'answered' : `error ${done.code}`}`);
      if (done.kind === 'error' && done.code === -32601) {
        problems.push(`${p.cap} advertised but ${p.method} is not served (-32601)`);
      }
    }
    const observed = [...problems, ...seen].join('; ');
    return problems.length === 0 ? pass(observed) : fail(observed);
  },
});

import { nowUs } from '../../measure/clock.js';
import { blocked, check, fail, pass, skip } from '../types.js';
import { callRaw, describeAnswer, exposedTool } from './catalogue-util.js';

/**
 * Two servers with a tool of the same name: both are callable through the
 * gateway and each call reaches its own server (seen in the mocks' call logs).
 */
export const collidingNames = check({
  id: 'gateway.colliding-names',
  title: 'tools with the same name on two servers are both callable and routed to their own server',
  suite: 'gateway',
  specRef:
    'practice: an aggregator namespaces colliding tool names and routes each to its origin (MCP 2025-11-25 server/tools §Tool Names)',
  severity: 'must',
  expected:
    'calling the exposed name of each same-named tool reaches that tool’s server, and only that server',
  async run(ctx) {
    const session = ctx.session;
    if (!session) return skip('no single endpoint');
    const owners = new Map<string, string[]>();
    for (const s of ctx.fleet.spec.servers.filter((x) => x.transport !== 'stdio')) {
      for (const t of s.tools) owners.set(t.name, [...(owners.get(t.name) ?? []), s.name]);
    }
    const collision = [...owners].find(([, servers]) => servers.length > 1);
    if (!collision) return skip('the fleet has no tool name served by two network servers');
    const [tool, servers] = collision;

    const problems: string[] = [];
    const seen: string[] = [];
    const since = nowUs();
    const sent = new Map<string, string>();
    for (const server of servers) {
      const name = await exposedTool(ctx, `${server}.${tool}`);
      if (!name) {
        problems.push(`${server}.${tool} is not exposed`);
        continue;
      }
      const message = `mcp-harness collision probe for ${server}`;
      sent.set(server, message);
      const a = await callRaw(ctx, session, name, { message });
      seen.push(`${name} → ${describeAnswer(a)}`);
      if (a.kind === 'error') problems.push(`${name} failed: ${describeAnswer(a)}`);
    }
    const exposedNames = await Promise.all(servers.map((s) => exposedTool(ctx, `${s}.${tool}`)));
    if (exposedNames[0] !== undefined && new Set(exposedNames).size < servers.length) {
      problems.push(`${servers.join(' and ')} share the exposed name '${exposedNames[0]}'`);
    }
    for (const server of servers) {
      const got = (await ctx.mock(server).calls({ tool, since })).map((c) => c.arguments?.message);
      for (const [from, message] of sent) {
        const arrived = got.includes(message);
        if (from === server && !arrived) problems.push(`${server} never received the call meant for it`);
        if (from !== server && arrived) problems.push(`${server} received the call meant for ${from}`);
      }
      seen.push(`${server} received ${got.length} ${tool} call(s)`);
    }
    const observed = [...problems, ...seen].join('; ');
    // Neither colliding tool reachable: nothing about collisions was seen.
    if (sent.size === 0) return blocked(observed, 'gateway.tools-exposed-once');
    return problems.length === 0 ? pass(observed) : fail(observed);
  },
});

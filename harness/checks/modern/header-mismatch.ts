import { onWire } from '../http/wire.js';
import { check, fail, pass, skip } from '../types.js';
import { describeExchange, discovered, sendModern } from './wire.js';

/** The error a 2026-07-28 server answers when the routing headers and the body disagree. */
export const HEADER_MISMATCH = -32020;

/**
 * Mcp-Method and Mcp-Name repeat the body so that intermediaries can route
 * without parsing it; a server must refuse a request whose headers and body
 * disagree (-32020), or a proxy routing by header and a server acting by body
 * would act on two different requests.
 */
export const headerMismatch = check({
  id: 'modern.header-mismatch',
  title: 'a request whose Mcp-Method or Mcp-Name header disagrees with its body is refused (-32020)',
  suite: 'modern',
  specRef:
    'MCP 2026-07-28 basic/transports §Streamable HTTP, Mcp-Method and Mcp-Name headers (-32020 on mismatch)',
  severity: 'must',
  concurrent: true,
  eras: ['modern'],
  expected:
    'tools/list sent with Mcp-Method: tools/call, and tools/call of a listed tool sent with another Mcp-Name, ' +
    'are both answered with a JSON-RPC error -32020 (and nothing is called)',
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const unserved = await discovered(wire);
      if (unserved) return unserved;
      const listed = await sendModern(wire, 'tools/list');
      const tools = (listed.result?.tools as Array<{ name: string }> | undefined) ?? [];
      if (!listed.result) return fail(`tools/list with matching headers: ${describeExchange(listed)}`);
      const method = await sendModern(wire, 'tools/list', {}, { headers: { 'mcp-method': 'tools/call' } });
      const tool = tools[0]?.name;
      if (!tool) return skip('the SUT lists no tool to name in Mcp-Name');
      const name = await sendModern(
        wire,
        'tools/call',
        { name: tool, arguments: {} },
        { headers: { 'mcp-name': `${tool}-not-this-one` } },
      );
      const problems = [
        ...(method.error?.code === HEADER_MISMATCH
          ? []
          : [`Mcp-Method mismatch: ${describeExchange(method)}`]),
        ...(name.error?.code === HEADER_MISMATCH ? [] : [`Mcp-Name mismatch: ${describeExchange(name)}`]),
      ];
      return problems.length === 0
        ? pass(
            `both mismatches refused with ${HEADER_MISMATCH} (HTTP ${method.reply.status}, ${name.reply.status})`,
          )
        : fail(problems.join('; '));
    }),
});

import { check, fail, skip, verdict } from '../types.js';

/** Calling a tool the gateway does not expose is a protocol error, not a tool result. */
export const unknownTool = check({
  id: 'gateway.unknown-tool',
  title: 'an unknown tool is answered with JSON-RPC error -32602',
  suite: 'gateway',
  specRef: 'MCP 2025-11-25 server/tools §Error Handling (unknown tools: -32602 Invalid params)',
  severity: 'must',
  concurrent: true,
  expected: 'tools/call for a name the gateway does not list fails with JSON-RPC error -32602',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const r = await ctx.session.call('no_such_tool__mcp_harness', {});
    if (r.outcome === 'error') return verdict(r.code === -32602, `JSON-RPC error ${r.code}: ${r.message}`);
    return fail(
      r.outcome === 'isError'
        ? `an isError result: ${r.message}`
        : `${r.outcome}: ${r.message ?? 'a result'}`,
    );
  },
});

import { clip } from '../../runner/outcome.js';
import { check, fail, skip, verdict } from '../types.js';
import { answer } from './catalogue-util.js';

const BOGUS = 'mcp-harness-not-a-cursor';

/** A cursor the gateway never issued is refused as invalid params, not answered with some page. */
export const badCursor = check({
  id: 'gateway.bad-cursor',
  title: 'tools/list with an invalid cursor is answered with -32602',
  suite: 'gateway',
  specRef: 'MCP 2025-11-25 server/utilities/pagination §Error Handling (invalid cursors: -32602)',
  severity: 'should',
  concurrent: true,
  expected: `tools/list with cursor '${BOGUS}' fails with JSON-RPC error -32602`,
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const a = await answer(
      ctx.session.connection.client.request(
        { method: 'tools/list', params: { cursor: BOGUS } },
        { timeout: ctx.timeoutMs, signal: ctx.signal },
      ),
    );
    if (a.kind === 'error') return verdict(a.code === -32602, `JSON-RPC error ${a.code}: ${clip(a.message)}`);
    const tools = Array.isArray(a.result.tools) ? a.result.tools.length : 0;
    return fail(
      `a page of ${tools} tool(s)${a.result.nextCursor ? ' with a nextCursor' : ''} instead of an error`,
    );
  },
});

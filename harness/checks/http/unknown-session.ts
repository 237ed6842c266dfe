import { randomUUID } from 'node:crypto';
import { check, skip, verdict } from '../types.js';
import { describeReply, endWire, initialize, onWire, request, sendIn } from './wire.js';

/** A session id the server never issued (or has ended) is answered 404, so the client starts over. */
export const unknownSession = check({
  id: 'http.unknown-session-404',
  title: 'a request with an unknown Mcp-Session-Id is answered 404',
  suite: 'http',
  specRef:
    'MCP 2025-11-25 basic/transports §Session Management (requests with a terminated session ID: 404 Not Found)',
  severity: 'must',
  concurrent: true,
  expected: 'a POST carrying an Mcp-Session-Id the server did not issue is answered HTTP 404 Not Found',
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const s = await initialize(wire);
      ctx.defer(() => endWire(s));
      if (s.sessionId === undefined) return skip('the server assigns no Mcp-Session-Id (a stateless server)');
      const unknown = { ...s, sessionId: `mcp-harness-unknown-${randomUUID()}` };
      const r = await sendIn(unknown, request('ping'));
      return verdict(r.status === 404, `ping with an unknown Mcp-Session-Id: ${describeReply(r)}`);
    }),
});

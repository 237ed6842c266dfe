import { check, fail, pass, skip, verdict } from '../types.js';
import { describeReply, onWire, openWire, request, send, sendIn, sessionHeaders } from './wire.js';

/** DELETE ends a session (after which it is 404), unless the server refuses it with 405. */
export const deleteSession = check({
  id: 'http.delete-session',
  title: 'DELETE ends the session (then 404), or is refused with 405',
  suite: 'http',
  specRef:
    'MCP 2025-11-25 basic/transports §Session Management (DELETE to terminate; 405 if not allowed; terminated: 404)',
  severity: 'must',
  concurrent: true,
  expected:
    'DELETE with the Mcp-Session-Id is answered 2xx and later requests in that session get 404, or DELETE is answered 405 Method Not Allowed',
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const s = await openWire(ctx, wire);
      if (s.sessionId === undefined) return skip('the server assigns no Mcp-Session-Id (a stateless server)');
      const del = await send(wire, undefined, { method: 'DELETE', headers: sessionHeaders(s) });
      if (del.status === 405) return pass('DELETE → 405: the server does not let clients end sessions');
      if (del.status < 200 || del.status > 299)
        return fail(`DELETE → ${describeReply(del)} (expected 2xx, or 405)`);
      const after = await sendIn(s, request('ping'));
      return verdict(
        after.status === 404,
        `DELETE → HTTP ${del.status}; then ping in the ended session → ${describeReply(after)}`,
      );
    }),
});

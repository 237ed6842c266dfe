import { check, fail, pass } from '../types.js';
import {
  describeReply,
  endWire,
  initializeRequest,
  onWire,
  openWire,
  request,
  send,
  sendIn,
  WIRE_PROTOCOL_VERSION,
  type WireReply,
} from './wire.js';

export const FOREIGN_ORIGIN = 'http://evil.example';

/** A browser page from another origin (DNS rebinding) must not reach the server. */
export const foreignOrigin = check({
  id: 'http.foreign-origin-403',
  title: 'a request with a foreign Origin is answered 403',
  suite: 'http',
  specRef:
    'MCP 2025-11-25 basic/transports §Security Warning (validate Origin on all connections; present and invalid: 403 Forbidden)',
  severity: 'must',
  concurrent: true,
  expected: `initialize, and a request in an open session, carrying Origin: ${FOREIGN_ORIGIN} are answered HTTP 403 Forbidden`,
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const origin = { origin: FOREIGN_ORIGIN };
      const init = await send(wire, initializeRequest(), { headers: origin });
      const leaked = init.headers.get('mcp-session-id');
      if (leaked !== null) {
        ctx.defer(() => endWire({ wire, sessionId: leaked, protocolVersion: WIRE_PROTOCOL_VERSION }));
      }
      const s = await openWire(ctx, wire);
      const inSession = await sendIn(s, request('ping'), { headers: origin });
      const seen = (what: string, r: WireReply) =>
        `${what} with Origin ${FOREIGN_ORIGIN} → ${describeReply(r)}`;
      const observed = `${seen('initialize', init)}; ${seen('ping in a session', inSession)}`;
      return init.status === 403 && inSession.status === 403 ? pass(observed) : fail(observed);
    }),
});

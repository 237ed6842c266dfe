import { check, fail, pass } from '../types.js';
import { describeReply, endWire, initialize, notification, onWire, sendIn } from './wire.js';

/** A POSTed notification (or response) the server accepts is answered 202 with no body. */
export const notification202 = check({
  id: 'http.notification-202',
  title: 'a POSTed notification is answered 202 Accepted with no body',
  suite: 'http',
  specRef:
    'MCP 2025-11-25 basic/transports §Sending Messages to the Server (a notification or response accepted: 202 Accepted, no body)',
  severity: 'must',
  concurrent: true,
  expected:
    'each JSON-RPC notification POSTed to the endpoint is answered HTTP 202 Accepted with an empty body',
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const s = await initialize(wire);
      ctx.defer(() => endWire(s));
      const sent = [
        notification('notifications/initialized'),
        // Cancelling a request that does not exist: the receiver may ignore it (basic/utilities/cancellation).
        notification('notifications/cancelled', {
          requestId: 'mcp-harness-none',
          reason: 'conformance check',
        }),
      ];
      const seen: string[] = [];
      for (const n of sent) {
        const r = await sendIn(s, n);
        seen.push(`${n.method} → ${describeReply(r)}`);
        if (r.status !== 202 || r.body !== '') return fail(seen.join('; '));
      }
      return pass(seen.join('; '));
    }),
});

import { check, fail, verdict } from '../types.js';
import { describeReply, onWire, openWire, request, sendIn } from './wire.js';

/** A revision the server does not speak. */
export const UNSUPPORTED_VERSION = '2000-01-01';

/** A request naming a protocol revision the server does not support is refused with 400. */
export const badProtocolVersion = check({
  id: 'http.bad-protocol-version-400',
  title: 'an unsupported MCP-Protocol-Version header is answered 400',
  suite: 'http',
  specRef:
    'MCP 2025-11-25 basic/transports §Protocol Version Header (invalid or unsupported version: 400 Bad Request)',
  severity: 'must',
  concurrent: true,
  expected: `a request whose MCP-Protocol-Version header is ${UNSUPPORTED_VERSION} (unsupported) is answered HTTP 400 Bad Request`,
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const s = await openWire(ctx, wire);
      const good = await sendIn(s, request('ping'));
      if (good.status !== 200)
        return fail(
          `ping with the negotiated MCP-Protocol-Version ${s.protocolVersion} already fails: ${describeReply(good)}`,
        );
      const bad = await sendIn(s, request('ping'), {
        headers: { 'mcp-protocol-version': UNSUPPORTED_VERSION },
      });
      return verdict(
        bad.status === 400,
        `ping with MCP-Protocol-Version ${UNSUPPORTED_VERSION}: ${describeReply(bad)} (with ${s.protocolVersion}: HTTP 200)`,
      );
    }),
});

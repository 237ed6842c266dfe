import { check, fail, pass, skip } from '../types.js';
import { endWire, initialize, onWire, type WireSession } from './wire.js';

const VISIBLE_ASCII = /^[\x21-\x7E]+$/;

/** The session id a server assigns must survive as an HTTP header value and be distinct per session. */
export const sessionId = check({
  id: 'http.session-id',
  title: 'Mcp-Session-Id is visible ASCII and new for each session',
  suite: 'http',
  specRef: 'MCP 2025-11-25 basic/transports §Session Management (session ID: visible ASCII 0x21–0x7E)',
  severity: 'must',
  concurrent: true,
  expected:
    'the initialize answer carries an Mcp-Session-Id made only of visible ASCII characters (0x21–0x7E), different for each new session (or none: sessions are optional)',
  run: (ctx) =>
    onWire(ctx, async (wire) => {
      const sessions: WireSession[] = [];
      for (let i = 0; i < 2; i++) {
        const s = await initialize(wire);
        ctx.defer(() => endWire(s));
        sessions.push(s);
      }
      const [a, b] = sessions as [WireSession, WireSession];
      if (a.sessionId === undefined && b.sessionId === undefined)
        return skip('the server assigns no Mcp-Session-Id (a stateless server): nothing to check');
      const ids = [a.sessionId, b.sessionId];
      for (const id of ids) {
        if (id === undefined)
          return fail('one initialize answer carried an Mcp-Session-Id, the next one none');
        if (!VISIBLE_ASCII.test(id)) {
          const bad = [...id].filter((c) => !VISIBLE_ASCII.test(c));
          const codes = [...new Set(bad)].map((c) => `0x${c.codePointAt(0)?.toString(16).padStart(2, '0')}`);
          return fail(
            `Mcp-Session-Id ${JSON.stringify(id)} contains ${codes.join(', ')} (outside 0x21–0x7E)`,
            {
              sessionId: id,
            },
          );
        }
      }
      if (a.sessionId === b.sessionId)
        return fail(`two sessions got the same Mcp-Session-Id ${JSON.stringify(a.sessionId)}`);
      return pass(`Mcp-Session-Id of ${a.sessionId?.length} visible ASCII characters, a new one per session`);
    }),
});

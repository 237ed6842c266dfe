import { check, skip } from '../types.js';
import { sessionFootprint } from './session-footprint.js';
import { judgeFootprint } from './sessions-released.js';

/** Client sessions opened and abandoned. */
const CLIENTS = 3;
/** How long the harness waits for the gateway to give up on clients that vanished. */
const IDLE_WAIT_MS = 9000;

/**
 * A client that goes away without DELETE (a crashed host, a dropped laptop
 * lid) leaves its session idle for good. A gateway times such sessions out
 * and releases what they held downstream; one that keeps them grows with
 * every vanished client. Reported as growth per session after a bounded wait.
 */
export const abandonedSessionsReleased = check({
  id: 'gateway.abandoned-sessions-released',
  title: 'sessions of clients that vanished without DELETE are released',
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 basic/transports §Session Management (the server MAY terminate a session at any time; ' +
    'a client may never send DELETE); practice: a gateway times out idle sessions',
  severity: 'should',
  expected:
    `within ${IDLE_WAIT_MS / 1000} s of ${CLIENTS} clients dropping their connections without DELETE, every downstream ` +
    'HTTP session the gateway opened for them is gone (404) and the stdio processes are back to their number before ' +
    '(downstreams shared by all clients are not growth)',
  async run(ctx) {
    if (!ctx.session || !ctx.endpoint) return skip('no single endpoint');
    if (ctx.endpoint.transport !== 'http')
      return skip(
        `a ${ctx.endpoint.transport} session ends with its connection: there is no DELETE to leave out`,
      );
    // Closing the client's transport aborts its streams and requests, and sends no DELETE.
    const f = await sessionFootprint(ctx, CLIENTS, (s) => s.connection.client.close(), IDLE_WAIT_MS);
    if (!('perSession' in f)) return f;
    return judgeFootprint(f, 'dropped without DELETE');
  },
});

import { check, fail, pass, skip } from '../types.js';
import { describeLeft, describeOpened, type Footprint, sessionFootprint } from './session-footprint.js';

/** Client sessions opened and closed. */
const CLIENTS = 3;
/** How long the gateway may take to release what a closed session held. */
const RELEASE_MS = 5000;

/**
 * When a client ends its session (HTTP DELETE; stdio: closing the pipe), the
 * gateway releases what it opened downstream for it: it deletes its HTTP
 * sessions and ends its stdio processes. Counted over several sessions as
 * growth per session; downstreams shared by every client are not growth.
 */
export const sessionsReleased = check({
  id: 'gateway.sessions-released',
  title: 'a closed session releases its downstream sessions and processes',
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 basic/transports §Session Management (a client that no longer needs a session ' +
    'SHOULD send HTTP DELETE) and basic/lifecycle §Shutdown (stdio: close stdin, end the process); ' +
    'practice: what a gateway holds per client session ends with it (else it grows without bound)',
  severity: 'must',
  expected:
    `within ${RELEASE_MS / 1000} s of ${CLIENTS} client sessions closing (DELETE), every downstream HTTP session the ` +
    'gateway opened for them is gone (404) and the stdio processes are back to their number before: growth 0 per session ' +
    '(downstreams shared by all clients are not growth)',
  async run(ctx) {
    if (!ctx.session || !ctx.endpoint) return skip('no single endpoint');
    const f = await sessionFootprint(ctx, CLIENTS, (s) => s.close(), RELEASE_MS);
    if (!('perSession' in f)) return f;
    return judgeFootprint(f, 'closed with DELETE');
  },
});

/** Fail on growth, pass with what was released (or that nothing per-client was opened). */
export function judgeFootprint(f: Footprint, how: string) {
  const evidence = { ...f };
  if (f.perSession > 0) return fail(`${describeOpened(f)}; ${how}: ${describeLeft(f)}`, evidence);
  const procs = Math.max(0, f.stdio.during - f.stdio.before);
  if (f.http.opened === 0 && procs === 0)
    return pass(
      `no downstream session or process was opened per client (downstreams shared by all clients): growth 0 over ${f.clients} sessions ${how}`,
      evidence,
    );
  return pass(
    `${describeOpened(f)}; ${how}: all released after ${f.releasedMs} ms, growth 0 per session`,
    evidence,
  );
}

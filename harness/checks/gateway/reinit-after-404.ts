import { nowUs } from '../../measure/clock.js';
import { warmUpFailed } from '../needs.js';
import { check, fail, pass, skip } from '../types.js';
import { callEvidence, describeCall, renewing, resolveTools, waitMs } from './resilience-util.js';

/**
 * An HTTP backend answering 404 to a request with its session id says the
 * session expired: the gateway (its client) must initialize a new session.
 * The gateway may keep the client's session (re-initializing downstream
 * behind it), or end it too: a gateway that maps each client session onto
 * one backend session answers the client 404 in turn, and then the client
 * starts a new session, as the spec tells it to. Either way the call must
 * work again, and the backend must have seen a new initialize.
 */
export const reinitAfter404 = check({
  id: 'gateway.reinit-after-404',
  title: 'an expired backend session (HTTP 404) is re-initialized',
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 basic/transports §Session Management (a client receiving HTTP 404 for its ' +
    'Mcp-Session-Id MUST start a new session with a new InitializeRequest)',
  severity: 'must',
  expected:
    'when alpha answers one call with HTTP 404, the gateway sends alpha a new initialize and the call succeeds ' +
    '(if the gateway ends the client’s session with 404 too, on the new session the client opens)',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const r = await resolveTools(ctx, ['alpha.echo']);
    if (!r.names) return r.verdict;
    const [echo] = r.names as [string];
    const alpha = ctx.mock('alpha');
    if (alpha.transport !== 'http') return skip(`alpha uses ${alpha.transport}: no HTTP session to expire`);
    const s = renewing(ctx, ctx.session);

    const warm = await s.call(echo, { message: 'before the session expires' });
    if (warm.outcome !== 'ok') return warmUpFailed('alpha.echo', describeCall(warm));
    const t0 = nowUs();
    const fault = await alpha.addFault({
      id: 'mcp-harness-expired',
      type: 'http-status',
      status: 404,
      tools: ['echo'],
      for: 1,
    });
    ctx.defer(() => alpha.removeFault(fault));
    const call = await s.call(echo, { message: 'after the session expired' }, { timeoutMs: waitMs(ctx) });
    const records = await alpha.calls({ since: t0 });
    const initializes = records.filter((c) => c.method === 'initialize').length;
    const answered404 = records.filter((c) => c.outcome === 'http-status').length;
    const evidence = { call: callEvidence(call), answered404, initializes, clientSessionRenewed: s.renewed };
    const how =
      s.renewed > 0
        ? 'the gateway ended the client’s session too (HTTP 404); on a new session '
        : 'on the same client session ';
    if (answered404 === 0) return fail(`alpha never answered 404: ${describeCall(call)}`, evidence);
    // 2026-07-28 has no session to expire: a gateway reaching alpha in that era is not asked this.
    if (records.some((c) => c.outcome === 'http-status' && c.era === 'modern') && call.outcome === 'ok')
      return skip('the gateway reaches alpha in 2026-07-28: there is no backend session to expire');
    if (call.outcome !== 'ok')
      return fail(
        `after alpha answered 404 (session expired), ${how}the call failed: ${describeCall(call)}; ` +
          `${initializes} new initialize request(s) reached alpha`,
        evidence,
      );
    if (initializes === 0)
      return fail('the call succeeded but alpha received no new initialize after its 404', evidence);
    return pass(
      `404 → ${initializes} new initialize; ${how}the call succeeded (${describeCall(call)})`,
      evidence,
    );
  },
});

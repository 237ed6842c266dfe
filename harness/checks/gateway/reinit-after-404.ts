import { nowUs } from '../../measure/clock.js';
import { warmUpFailed } from '../needs.js';
import { check, fail, pass, skip } from '../types.js';
import { boundMs, callEvidence, describeCall, resolveTools } from './resilience-util.js';

/**
 * An HTTP backend answering 404 to a request with its session id says the
 * session expired: the gateway (its client) must initialize a new session and
 * the upstream call should not fail because of it.
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
    'when alpha answers one call with HTTP 404, the gateway sends a new initialize and the call succeeds',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const r = await resolveTools(ctx, ['alpha.echo']);
    if (!r.names) return r.verdict;
    const [echo] = r.names as [string];
    const alpha = ctx.mock('alpha');
    if (alpha.transport !== 'http') return skip(`alpha uses ${alpha.transport}: no HTTP session to expire`);
    const s = ctx.session;

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
    const call = await s.call(echo, { message: 'after the session expired' }, { timeoutMs: boundMs(ctx) });
    const records = await alpha.calls({ since: t0 });
    const initializes = records.filter((c) => c.method === 'initialize').length;
    const answered404 = records.filter((c) => c.outcome === 'http-status').length;
    const evidence = { call: callEvidence(call), answered404, initializes };
    if (answered404 === 0) return fail(`alpha never answered 404: ${describeCall(call)}`, evidence);
    if (call.outcome !== 'ok')
      return fail(
        `after alpha answered 404 (session expired), the call failed: ${describeCall(call)}; ` +
          `${initializes} new initialize request(s) reached alpha`,
        evidence,
      );
    if (initializes === 0)
      return fail('the call succeeded but alpha received no new initialize after its 404', evidence);
    return pass(
      `404 → ${initializes} new initialize, then the call succeeded (${describeCall(call)})`,
      evidence,
    );
  },
});

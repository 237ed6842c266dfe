import { nowUs } from '../../measure/clock.js';
import { check, fail, pass, skip } from '../types.js';
import { boundMs, ms, resolveTools, waitFor, waitMs } from './resilience-util.js';

/** How long after the client cancels the backend must have heard of it. */
const PROPAGATE_MS = 1000;

/**
 * A client that cancels a call (notifications/cancelled) frees the backend
 * too: the gateway passes the cancellation on instead of letting the
 * downstream request run (or hang) until its own timeout.
 */
export const cancellationRelayed = check({
  id: 'gateway.cancellation-relayed',
  title: "the client's cancellation reaches the backend",
  suite: 'gateway',
  specRef:
    'practice: a gateway cancels the downstream request of a cancelled call ' +
    '(MCP 2025-11-25 basic/utilities/cancellation)',
  severity: 'should',
  expected: `when the client cancels a call to a hanging alpha.slow, alpha receives notifications/cancelled for it within ${PROPAGATE_MS} ms`,
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const r = await resolveTools(ctx, ['alpha.slow']);
    if (!r.names) return r.verdict;
    const [slow] = r.names as [string];
    const alpha = ctx.mock('alpha');
    const fault = await alpha.addFault({ id: 'mcp-harness-cancel', type: 'hang', tools: ['slow'] });
    ctx.defer(() => alpha.removeFault(fault));

    const t0 = nowUs();
    const ac = new AbortController();
    const pending = ctx.session.call(slow, {}, { signal: ac.signal, timeoutMs: waitMs(ctx) });
    const record = async () => (await alpha.calls({ tool: 'slow', since: t0 })).at(-1);
    const arrived = await waitFor(record, boundMs(ctx), { stepMs: 20, signal: ctx.signal });
    if (!arrived) {
      ac.abort('not needed');
      await pending;
      return fail(`the call never reached alpha within ${boundMs(ctx)} ms`);
    }
    const abortedAt = performance.now();
    ac.abort('no longer needed');
    const call = await pending;
    const cancelled = await waitFor(async () => (await record())?.cancelled === true, PROPAGATE_MS, {
      stepMs: 20,
      signal: ctx.signal,
    });
    const cancelPropagationMs = cancelled ? ms(performance.now() - abortedAt) : undefined;
    const last = await record();
    const evidence = {
      reachedAlphaMs: ms((arrived.receivedUs - t0) / 1000),
      cancelPropagationMs,
      downstreamOutcome: last?.outcome,
      upstreamOutcome: call.outcome,
    };
    if (!cancelled)
      return fail(
        `alpha did not receive notifications/cancelled within ${PROPAGATE_MS} ms of the client cancelling ` +
          `(its request is ${last?.outcome ?? 'unknown'})`,
        evidence,
      );
    return pass(
      `alpha heard of the cancellation within ~${Math.round(cancelPropagationMs!)} ms (polling every 20 ms)`,
      evidence,
    );
  },
});

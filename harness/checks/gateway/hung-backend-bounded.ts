import { check, fail, pass, skip } from '../types.js';
import { boundMs, callEvidence, describeCall, ms, resolveTools } from './resilience-util.js';

/** A backend that never answers must cost the client one timeout, not a hung call; others keep working. */
export const hungBackendBounded = check({
  id: 'gateway.hung-backend-bounded',
  title: 'a call to a hung backend is answered with an error within the timeout',
  suite: 'gateway',
  specRef:
    'practice: a gateway bounds every downstream call (MCP 2025-11-25 basic/lifecycle §Timeouts: ' +
    'time out, cancel, stop waiting)',
  severity: 'must',
  expected:
    "a call to a backend that never answers gets an error within the target's timeout + 1 s, " +
    'while a concurrent call to another backend succeeds',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const r = await resolveTools(ctx, ['alpha.slow', 'beta.echo']);
    if (!r.names) return r.verdict;
    const [slow, other] = r.names as [string, string];
    const alpha = ctx.mock('alpha');
    const fault = await alpha.addFault({ id: 'mcp-harness-hung-backend', type: 'hang', tools: ['slow'] });
    ctx.defer(() => alpha.removeFault(fault));

    const bound = boundMs(ctx);
    const [hung, concurrent] = await Promise.all([
      ctx.session.call(slow, {}, { timeoutMs: bound }),
      ctx.session.call(other, { message: 'while alpha hangs' }),
    ]);
    const evidence = {
      boundMs: bound,
      timeToErrorMs: hung.outcome === 'timeout' ? undefined : ms(hung.durationMs),
      hungCall: callEvidence(hung),
      concurrentCall: callEvidence(concurrent),
    };
    if (hung.outcome === 'timeout')
      return fail(
        `no answer within ${bound} ms (timeout ${ctx.timeoutMs} ms + 1 s): the call hangs`,
        evidence,
      );
    if (hung.outcome === 'ok')
      return fail(
        `the call to the hung backend succeeded (${describeCall(hung)}): the hang did not apply`,
        evidence,
      );
    if (hung.outcome === 'transport')
      return fail(
        `the connection to the gateway failed instead of an error answer: ${describeCall(hung)}`,
        evidence,
      );
    if (concurrent.outcome !== 'ok')
      return fail(
        `the hung call was answered (${describeCall(hung)}), but a concurrent call to beta failed: ${describeCall(concurrent)}`,
        evidence,
      );
    return pass(
      `${describeCall(hung)} (bound ${bound} ms); beta answered meanwhile in ${Math.round(concurrent.durationMs)} ms`,
      evidence,
    );
  },
});

import { check, fail, pass, skip } from '../types.js';
import {
  callEvidence,
  deadlineMs,
  describeCall,
  renewing,
  resolveTools,
  timing,
  waitMs,
} from './resilience-util.js';

/**
 * A backend that never answers must cost the client one error within the
 * gateway's deadline, not a hung call; others keep working. The harness waits
 * longer than the deadline, so a late answer is reported as slow, with its
 * time, and only no answer at all as a hang.
 */
export const hungBackendBounded = check({
  id: 'gateway.hung-backend-bounded',
  title: 'a call to a hung backend is answered with an error within the deadline',
  suite: 'gateway',
  specRef:
    'practice: a gateway bounds every downstream call (MCP 2025-11-25 basic/lifecycle §Timeouts: ' +
    'time out, cancel, stop waiting)',
  severity: 'must',
  // Its hang is on alpha.slow only, which no other concurrent check calls.
  concurrent: true,
  expected:
    "a call to a backend that never answers gets an error within the target's deadlineMs (default 30 s) + 1 s, " +
    'while a concurrent call to another backend succeeds; the harness waits twice the deadline (at least 10 s): ' +
    'a later answer is slow, none at all is a hang',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    // A bridge has no other backend: then only the bound is judged.
    const r = await resolveTools(
      ctx,
      ctx.fleet.mocks.has('beta') ? ['alpha.slow', 'beta.echo'] : ['alpha.slow'],
    );
    if (!r.names) return r.verdict;
    const [slow, other] = r.names as [string, string | undefined];
    const alpha = ctx.mock('alpha');
    const fault = await alpha.addFault({ id: 'mcp-harness-hung-backend', type: 'hang', tools: ['slow'] });
    ctx.defer(() => alpha.removeFault(fault));

    const s = renewing(ctx, ctx.session);
    const wait = waitMs(ctx);
    const [hung, concurrent] = await Promise.all([
      s.call(slow, {}, { timeoutMs: wait }),
      other ? s.call(other, { message: 'while alpha hangs' }) : Promise.resolve(undefined),
    ]);
    const t = timing(ctx, hung);
    const evidence = {
      deadlineMs: deadlineMs(ctx),
      waitMs: wait,
      timeToErrorMs: t.timeToAnswerMs,
      hungCall: callEvidence(hung),
      ...(concurrent ? { concurrentCall: callEvidence(concurrent) } : {}),
    };
    if (t.verdict === 'hung') return fail(t.says, evidence);
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
    if (t.verdict === 'slow') return fail(`${t.says}: ${describeCall(hung)}`, evidence);
    if (concurrent && concurrent.outcome !== 'ok')
      return fail(
        `the hung call was answered (${describeCall(hung)}), but a concurrent call to beta failed: ${describeCall(concurrent)}`,
        evidence,
      );
    return pass(
      `${t.says}: ${describeCall(hung)}` +
        (concurrent
          ? `; beta answered meanwhile in ${Math.round(concurrent.durationMs)} ms`
          : ' (no other backend)'),
      evidence,
    );
  },
});

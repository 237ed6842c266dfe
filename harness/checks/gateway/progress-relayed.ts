import { check, fail, pass, skip } from '../types.js';
import { callEvidence, describeCall, LATE_MS, runProgress } from './resilience-util.js';

/**
 * A gateway forwards the client's progressToken downstream and relays the
 * backend's progress notifications back under the client's token. (Their
 * order is gateway.progress-ordered's business.)
 */
export const progressRelayed = check({
  id: 'gateway.progress-relayed',
  title: "a backend's progress notifications reach the client",
  suite: 'gateway',
  specRef:
    'practice: a gateway relays downstream progress under the upstream progressToken ' +
    '(MCP 2025-11-25 basic/utilities/progress)',
  severity: 'should',
  concurrent: true,
  // Reads alpha's call log for its progress call: never beside the other progress check.
  uses: 'alpha.progress',
  expected:
    'a call to alpha.progress carrying a progressToken receives progress notifications for that token ' +
    '(alpha sends three)',
  async run(ctx) {
    const run = await runProgress(ctx);
    if (typeof run === 'string') return skip(run);
    const { call, notes, downstream } = run;
    const evidence = {
      call: callEvidence(call),
      received: notes.length,
      values: notes.map((n) => n.progress),
      arrivalsMs: notes.map((n) => n.atMs),
      resultAtMs: run.resultAtMs,
      foreignTokens: run.foreign,
      downstream,
    };
    if (call.outcome !== 'ok') return fail(`the call failed: ${describeCall(call)}`, evidence);
    if (!downstream.token)
      return fail(
        'the gateway did not forward a progressToken to alpha (alpha could not report progress)',
        evidence,
      );
    if (notes.length === 0)
      return fail(
        `alpha sent ${downstream.sent} progress notifications; none reached the client ` +
          `(listened until ${LATE_MS} ms after the result)${run.foreign ? `; ${run.foreign} arrived with another token` : ''}`,
        evidence,
      );
    return pass(
      `${notes.length} of ${downstream.sent} progress notifications relayed (${notes.map((n) => n.progress).join(', ')})`,
      evidence,
    );
  },
});

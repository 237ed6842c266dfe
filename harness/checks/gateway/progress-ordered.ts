import { blocked, check, fail, pass, skip } from '../types.js';
import { callEvidence, describeCall, runProgress } from './resilience-util.js';

/**
 * Relayed progress keeps the protocol's rules: values increase, and no
 * notification refers to a request that has already been answered.
 */
export const progressOrdered = check({
  id: 'gateway.progress-ordered',
  title: 'relayed progress increases and arrives before the result',
  suite: 'gateway',
  specRef:
    'MCP 2025-11-25 basic/utilities/progress (the progress value MUST increase; progress notifications ' +
    'MUST only reference tokens of in-progress operations)',
  severity: 'must',
  concurrent: true,
  // Reads alpha's call log for its progress call: never beside the other progress check.
  uses: 'alpha.progress',
  expected:
    'every progress notification for the call arrives before its result, with strictly increasing values',
  async run(ctx) {
    const run = await runProgress(ctx);
    if (typeof run === 'string') return skip(run);
    const { call, notes } = run;
    const evidence = {
      call: callEvidence(call),
      values: notes.map((n) => n.progress),
      arrivalsMs: notes.map((n) => n.atMs),
      resultAtMs: run.resultAtMs,
    };
    if (call.outcome !== 'ok') return fail(`the call failed: ${describeCall(call)}`, evidence);
    if (notes.length === 0)
      return blocked(
        'no progress notification reached the client: nothing to order',
        'gateway.progress-relayed',
      );
    const late = notes.filter((n) => !n.beforeResult);
    const backwards = notes.filter((n, i) => i > 0 && !(n.progress > notes[i - 1]!.progress));
    const problems: string[] = [];
    if (late.length > 0)
      problems.push(
        `${late.length} of ${notes.length} arrived after the result (at ${late.map((n) => n.atMs).join(', ')} ms; result at ${run.resultAtMs} ms)`,
      );
    if (backwards.length > 0)
      problems.push(`values do not increase: ${notes.map((n) => n.progress).join(', ')}`);
    if (problems.length > 0) return fail(problems.join('; '), evidence);
    return pass(
      `${notes.length} notifications (${notes.map((n) => n.progress).join(', ')}) before the result at ${run.resultAtMs} ms`,
      evidence,
    );
  },
});

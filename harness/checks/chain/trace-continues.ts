import { warmUpFailed } from '../needs.js';
import { check, fail, pass } from '../types.js';
import { callNames, describeAnswer, firstCalls, serversOf, settledCalls } from './calls.js';
import { isVerdict, pipelineOf } from './options.js';

const traceId = (tp: string | undefined) => tp?.split('-')[1];

/**
 * The caller's trace continues through every downstream step (W3C
 * traceparent in params._meta). Every declared step must be seen: a hop the
 * chain skipped is a hop the trace did not reach.
 */
export const traceContinues = check({
  id: 'chain.trace-continues',
  title: 'a traceparent given upstream reaches every downstream step with the same trace id',
  suite: 'chain',
  specRef: 'MCP 2025-11-25 basic §_meta · W3C Trace Context (traceparent); OTel MCP semantic conventions',
  severity: 'must',
  expected:
    "every declared step of the pipeline is called downstream with params._meta.traceparent carrying the caller's trace id",
  async run(ctx) {
    const got = pipelineOf(ctx);
    if (isVerdict(got)) return got;
    const { o, p } = got;
    const r = await ctx.session!.call(p.tool, p.args, { meta: { traceparent: o.traceparent } });
    const calls = await settledCalls(
      ctx,
      serversOf(p.steps),
      r.outcome === 'ok' ? { ready: (c) => firstCalls(c, p.steps).every(Boolean) } : { minWaitMs: 300 },
    );
    const want = traceId(o.traceparent);
    const seen = firstCalls(calls, p.steps);
    const lines = p.steps.map(
      (s, i) => `${s.call}: ${seen[i] ? (seen[i]!.traceparent ?? 'no traceparent') : 'not called'}`,
    );
    const evidence = { calls: callNames(calls), traceparents: lines, answer: describeAnswer(r) };
    const lost = p.steps.filter((_, i) => seen[i] && traceId(seen[i]!.traceparent) !== want);
    if (lost.length > 0)
      return fail(
        `trace ${want} was lost on ${lost.map((s) => s.call).join(', ')}: ${lines.join('; ')}`,
        evidence,
      );
    const missing = p.steps.filter((_, i) => !seen[i]).map((s) => s.call);
    if (missing.length > 0) {
      const hops = `${missing.length} of ${p.steps.length} declared hops never called (${missing.join(', ')})`;
      // A pipeline that failed on args under which every step succeeds: the trace could not be followed.
      if (r.outcome !== 'ok') return warmUpFailed(`the pipeline ${p.tool}`, `${describeAnswer(r)}; ${hops}`);
      return fail(`the pipeline answered, but ${hops}: ${lines.join('; ')}`, evidence);
    }
    return pass(`trace ${want} reached all ${p.steps.length} steps (${lines.join('; ')})`, evidence);
  },
});

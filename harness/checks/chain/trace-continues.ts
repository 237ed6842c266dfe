import { check, fail, pass } from '../types.js';
import { callNames, describeAnswer, firstCalls, serversOf, settledCalls } from './calls.js';
import { isVerdict, pipelineOf } from './options.js';

const traceId = (tp: string | undefined) => tp?.split('-')[1];

/** The caller's trace continues through every downstream step (W3C traceparent in params._meta). */
export const traceContinues = check({
  id: 'chain.trace-continues',
  title: 'a traceparent given upstream reaches every downstream step with the same trace id',
  suite: 'chain',
  specRef: 'MCP 2025-11-25 basic §_meta · W3C Trace Context (traceparent); OTel MCP semantic conventions',
  severity: 'must',
  expected:
    "every downstream call of the pipeline carries params._meta.traceparent with the caller's trace id",
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
    const called = seen.filter((c) => c !== undefined);
    if (called.length === 0) return fail(`no step was called downstream: ${describeAnswer(r)}`, evidence);
    const bad = called.filter((c) => traceId(c.traceparent) !== want);
    if (bad.length > 0) return fail(`trace ${want} was lost downstream: ${lines.join('; ')}`, evidence);
    // A step the pipeline never reached (it failed earlier) cannot be judged here.
    const all = called.length === p.steps.length ? 'all ' : '';
    return pass(
      `trace ${want} reached ${all}${called.length} of ${p.steps.length} steps (${lines.join('; ')})`,
      evidence,
    );
  },
});

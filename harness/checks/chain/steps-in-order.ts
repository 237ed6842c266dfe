import { check, fail, pass } from '../types.js';
import { callNames, describeAnswer, firstCalls, ms, serversOf, settledCalls } from './calls.js';
import { isVerdict, pipelineOf } from './options.js';

/** A pipeline calls its steps one after another, in the declared order. */
export const stepsInOrder = check({
  id: 'chain.steps-in-order',
  title: "a pipeline's downstream calls happen in the declared order",
  suite: 'chain',
  specRef: 'practice: composite tools (pipeline steps are sequential: each may use the previous results)',
  severity: 'must',
  expected:
    'each step of the pipeline is received downstream only after the previous step has answered, in the declared order',
  async run(ctx) {
    const got = pipelineOf(ctx);
    if (isVerdict(got)) return got;
    const { p } = got;
    const r = await ctx.session!.call(p.tool, p.args);
    // Judged per server from the mocks' call logs: which step came first, and did it wait for the one before.
    // A pipeline that failed may never call some steps: then only wait briefly for stragglers.
    const calls = await settledCalls(
      ctx,
      serversOf(p.steps),
      r.outcome === 'ok' ? { ready: (c) => firstCalls(c, p.steps).every(Boolean) } : { minWaitMs: 300 },
    );
    const first = firstCalls(calls, p.steps);
    const order = `downstream calls: ${callNames(calls).join(', ') || 'none'}`;
    const problems: string[] = [];
    p.steps.forEach((s, i) => {
      const rec = first[i];
      const prev = i > 0 ? first[i - 1] : undefined;
      if (!rec || !prev) return;
      const prevStep = p.steps[i - 1]!.call;
      if (rec.receivedUs < prev.receivedUs) problems.push(`${s.call} was called before ${prevStep}`);
      else if (prev.completedUs !== undefined && rec.receivedUs < prev.completedUs)
        problems.push(
          `${s.call} was called ${ms(prev.completedUs - rec.receivedUs)} ms before ${prevStep} had answered`,
        );
    });
    const missing = p.steps.filter((_, i) => !first[i]).map((s) => s.call);
    const evidence = { calls: callNames(calls), answer: describeAnswer(r) };
    if (problems.length > 0) return fail(`${problems.join('; ')} (${order})`, evidence);
    if (missing.length > 0)
      return fail(
        `never called: ${missing.join(', ')} (${order}; the pipeline answered ${describeAnswer(r)})`,
        evidence,
      );
    return pass(`${p.steps.length} steps in order, each after the previous answered (${order})`, evidence);
  },
});

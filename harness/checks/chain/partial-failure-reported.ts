import { check, fail, pass } from '../types.js';
import { describeAnswer, faultOn, structuredOf } from './calls.js';
import { failBranchOf, fanoutOf, isVerdict, type StepRef } from './options.js';

const INJECTED = 'mcp-harness injected branch failure';

/** An object anywhere in `value` that names the failed branch's server and tool and says what went wrong. */
function reportOf(value: unknown, b: StepRef): Record<string, unknown> | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const hit = reportOf(v, b);
      if (hit) return hit;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Record<string, unknown>;
  if (o.server === b.server && o.tool === b.tool && (o.error !== undefined || o.kind !== undefined)) return o;
  for (const v of Object.values(o)) {
    const hit = reportOf(v, b);
    if (hit) return hit;
  }
  return undefined;
}

/** One failed branch of a fan-out is reported as such, next to the other branches' results. */
export const partialFailureReported = check({
  id: 'chain.partial-failure-reported',
  title: 'a failed fan-out branch is reported with the failed step',
  suite: 'chain',
  specRef: 'practice: composite tools (partial results keep the successes and list each failure)',
  severity: 'must',
  expected:
    "when one branch of a fan-out fails, the answer's structuredContent reports that branch (step, server, tool, error) besides the other branches' results",
  async run(ctx) {
    const got = fanoutOf(ctx);
    if (isVerdict(got)) return got;
    const { f } = got;
    const broken = failBranchOf(f);
    await faultOn(ctx, broken, { type: 'tool-error', message: INJECTED });
    const r = await ctx.session!.call(f.tool, f.args);
    const answer = describeAnswer(r);
    if (r.outcome !== 'ok' && r.outcome !== 'isError') return fail(`the fan-out did not answer: ${answer}`);
    const report = reportOf(structuredOf(r), broken);
    if (!report)
      return fail(`${broken.call} failed (tool error) but the answer does not report it: ${answer}`, {
        answer,
      });
    const step = report.step ?? report.failedStep;
    if (broken.id !== undefined && step !== broken.id)
      return fail(
        `the failed branch is reported as step ${JSON.stringify(step)}, not '${broken.id}': ${answer}`,
      );
    return pass(`the failed branch is reported: ${JSON.stringify(report)}`, { answer });
  },
});

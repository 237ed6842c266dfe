import { isDeepStrictEqual } from 'node:util';
import { warmUpFailed } from '../needs.js';
import { blocked, check, fail, pass, skip } from '../types.js';
import { describeAnswer, firstCalls, serversOf, settledCalls } from './calls.js';
import { chainOptions, isVerdict, type StepRef } from './options.js';

const json = (v: unknown) => JSON.stringify(v);

/**
 * Downstream arguments are exactly what the chain's templates render: nothing
 * added. Fan-out branches depend only on the input, so they are compared
 * whole; a pipeline step's values may depend on earlier steps (and on their
 * order), so only its keys are compared.
 */
export const argsExact = check({
  id: 'chain.args-exact',
  title: 'downstream arguments are exactly as templated (no added keys)',
  suite: 'chain',
  specRef: 'practice: composite tools (a step sends the arguments its template renders, nothing else)',
  severity: 'must',
  expected:
    'every downstream call carries exactly the templated arguments: fan-out branches equal them, pipeline steps add no key',
  async run(ctx) {
    const o = chainOptions(ctx);
    if (isVerdict(o)) return o;
    if (!ctx.session) return skip('the chain has no single endpoint to call');
    const withArgs = (steps: readonly StepRef[] | undefined) =>
      (steps ?? []).filter((s) => s.args !== undefined);
    const branches = withArgs(o.fanout?.branches);
    const steps = withArgs(o.pipeline?.steps);
    if (branches.length + steps.length === 0)
      return skip('no step or branch in checks.chain declares its args: nothing to compare with');
    const problems: string[] = [];
    const compared: string[] = [];
    const uncalled: string[] = [];
    const answers: string[] = [];
    /** Composites that failed on args under which every step succeeds. */
    const failed: string[] = [];
    const runs: Array<[tool: string, args: Record<string, unknown>, list: StepRef[], whole: boolean]> = [];
    if (o.fanout && branches.length > 0) runs.push([o.fanout.tool, o.fanout.args, branches, true]);
    if (o.pipeline && steps.length > 0) runs.push([o.pipeline.tool, o.pipeline.args, steps, false]);
    for (const [tool, args, list, whole] of runs) {
      for (const s of serversOf(list)) await ctx.mock(s).clearCalls();
      const r = await ctx.session.call(tool, args);
      answers.push(`${tool}: ${describeAnswer(r)}`);
      if (r.outcome !== 'ok') failed.push(`${tool}: ${describeAnswer(r)}`);
      const calls = await settledCalls(
        ctx,
        serversOf(list),
        r.outcome === 'ok' ? { ready: (c) => firstCalls(c, list).every(Boolean) } : { minWaitMs: 300 },
      );
      firstCalls(calls, list).forEach((c, i) => {
        const s = list[i]!;
        const want = s.args ?? {};
        if (!c) {
          // Not reached: nothing to compare, so the check cannot pass (blocked below unless a difference shows).
          uncalled.push(`${s.call} (${tool})`);
          return;
        }
        const got = c.arguments ?? {};
        const added = Object.keys(got).filter((k) => !Object.hasOwn(want, k));
        if (added.length > 0)
          problems.push(
            `${s.call} got added key${added.length > 1 ? 's' : ''} ${added.map((k) => `${k}=${json(got[k])}`).join(', ')}`,
          );
        else if (whole && !isDeepStrictEqual(got, want))
          problems.push(`${s.call} got ${json(got)}, expected ${json(want)}`);
        else compared.push(s.call);
      });
    }
    const evidence = { answers, ...(uncalled.length > 0 ? { uncalled } : {}) };
    if (problems.length > 0) return fail(problems.join('; '), evidence);
    if (uncalled.length > 0) {
      const why = `not called, so not compared: ${uncalled.join(', ')}${compared.length > 0 ? ` (as templated: ${compared.join(', ')})` : ''}`;
      return failed.length > 0
        ? warmUpFailed('a composite', `${failed.join('; ')}; ${why}`)
        : blocked(`the composites answered but ${why}`, 'chain.steps-in-order');
    }
    return pass(`arguments as templated for every declared step: ${compared.join(', ')}`, evidence);
  },
});

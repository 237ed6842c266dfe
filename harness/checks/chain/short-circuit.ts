import { check, fail, pass } from '../types.js';
import {
  callNames,
  describeAnswer,
  injectProtocolError,
  isCallOf,
  serversOf,
  settledCalls,
} from './calls.js';
import { failStepOf, isVerdict, pipelineOf, stepsAfter } from './options.js';

/** After a failed pipeline step, no later step is called (the call logs say so). */
export const shortCircuit = check({
  id: 'chain.short-circuit',
  title: 'a pipeline stops at the first failed step',
  suite: 'chain',
  specRef: 'practice: composite tools (a failed step ends the pipeline: later steps depend on it)',
  severity: 'must',
  expected: 'once a pipeline step has failed, no downstream call is received for the steps after it',
  async run(ctx) {
    const got = pipelineOf(ctx);
    if (isVerdict(got)) return got;
    const { p } = got;
    const broken = failStepOf(p);
    const later = stepsAfter(p, broken);
    await injectProtocolError(ctx, broken);
    const r = await ctx.session!.call(p.tool, p.args);
    // Give a late call (e.g. a stdio server being spawned) time to show up in the logs.
    const calls = await settledCalls(ctx, serversOf(p.steps), { minWaitMs: 300 });
    const failing = calls.find(isCallOf(broken));
    const evidence = { calls: callNames(calls), answer: describeAnswer(r) };
    if (!failing)
      return fail(
        `the failing step ${broken.call} was never called (downstream calls: ${callNames(calls).join(', ') || 'none'})`,
        evidence,
      );
    const end = failing.completedUs ?? failing.receivedUs;
    const after = calls.filter((c) => c !== failing && c.receivedUs >= end);
    const dependent = after.filter((c) => later.some((s) => isCallOf(s)(c)));
    if (after.length > 0)
      return fail(
        `called after ${broken.call} failed: ${callNames(after).join(', ')}${
          dependent.length > 0 ? ` (later steps: ${callNames(dependent).join(', ')})` : ''
        }`,
        evidence,
      );
    return pass(
      `${broken.call} failed (injected JSON-RPC error) and nothing was called after it (downstream calls: ${callNames(calls).join(', ')})`,
      evidence,
    );
  },
});

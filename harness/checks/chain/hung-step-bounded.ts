import { textOf } from '../../runner/outcome.js';
import type { CallRecord } from '../../schema/call-log.js';
import { check, fail, pass } from '../types.js';
import { describeAnswer, faultOn, isCallOf, ms, nowUs, structuredOf } from './calls.js';
import { hangStepOf, isVerdict, pipelineOf } from './options.js';

const TIMEOUT_WORDS = /time[ds]?[\s-]?out|timed out|deadline/i;

/**
 * A downstream call that never answers costs the caller the step timeout, not
 * forever. The bound runs from the moment the hung step was called (read from
 * its mock's call log), so slow earlier steps (a stdio server being spawned)
 * do not count against the chain.
 */
export const hungStepBounded = check({
  id: 'chain.hung-step-bounded',
  title: 'a hung step is bounded by the step timeout and reported as a timeout',
  suite: 'chain',
  specRef:
    'MCP 2025-11-25 basic/lifecycle §Timeouts (implementations should set timeouts for all sent requests)',
  severity: 'must',
  expected:
    'when a step never answers, the composite answers within the step timeout plus a margin of that step being called, and says the step timed out',
  async run(ctx) {
    const got = pipelineOf(ctx);
    if (isVerdict(got)) return got;
    const { o, p } = got;
    const step = hangStepOf(p);
    const timeoutMs = step.timeoutMs ?? o.stepTimeoutMs;
    const boundMs = timeoutMs + o.marginMs;
    await faultOn(ctx, step, { type: 'hang' });

    const ac = new AbortController();
    const startUs = nowUs();
    let hung: CallRecord | undefined;
    let expired = false;
    let answered = false;
    // Watch the call log: once the hung step is called, the composite has `boundMs` to answer.
    const watch = (async () => {
      const giveUpUs = startUs + (ctx.timeoutMs + boundMs) * 1000;
      while (!answered && !ctx.signal.aborted) {
        hung ??= (await ctx.mock(step.server).calls({ method: 'tools/call', tool: step.tool })).find(
          isCallOf(step),
        );
        const deadline = hung ? hung.receivedUs + boundMs * 1000 : giveUpUs;
        if (nowUs() > deadline) {
          expired = true;
          ac.abort(); // the SDK sends notifications/cancelled: the chain can let go of the hung call
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const r = await ctx.session!.call(p.tool, p.args, {
      signal: ac.signal,
      timeoutMs: ctx.timeoutMs + boundMs + 1_000,
    });
    answered = true;
    await watch;
    // The log may lag the answer a little (a stdio mock pushes its records): look once more.
    for (let i = 0; !hung && i < 10; i++) {
      hung = (await ctx.mock(step.server).calls({ method: 'tools/call', tool: step.tool })).find(
        isCallOf(step),
      );
      if (!hung) await new Promise((r) => setTimeout(r, 100));
    }
    const endUs = startUs + Math.round(r.durationMs * 1000);
    const took = hung ? ms(endUs - hung.receivedUs) : undefined;
    const evidence = { timeoutMs, boundMs, sinceHungCallMs: took, answer: describeAnswer(r) };
    if (expired && hung)
      return fail(
        `no answer within ${boundMs} ms (step timeout ${timeoutMs} ms + ${o.marginMs} ms) of calling ${step.call}, which hangs`,
        evidence,
      );
    if (!hung)
      return fail(
        `${step.call} (hung) was never called; the composite answered ${describeAnswer(r)}`,
        evidence,
      );
    if (r.outcome !== 'ok' && r.outcome !== 'isError')
      return fail(
        `with ${step.call} hung the composite answered ${describeAnswer(r)} ${took} ms after calling it`,
        evidence,
      );
    if ((took ?? 0) > boundMs)
      return fail(`answered ${took} ms after calling ${step.call} (hung), beyond ${boundMs} ms`, evidence);
    // Judged by the bound and the words, not by isError (that is structured-error's business).
    const s = structuredOf(r);
    const said = `${textOf(r.result)} ${typeof s?.kind === 'string' ? s.kind : ''} ${typeof s?.error === 'string' ? s.error : ''}`;
    if (!TIMEOUT_WORDS.test(said))
      return fail(
        `answered ${took} ms after calling ${step.call} but does not say it timed out: ${describeAnswer(r)}`,
        evidence,
      );
    return pass(
      `answered ${took} ms after calling ${step.call} (hung; bound ${boundMs} ms), reporting a timeout: ${describeAnswer(r)}`,
      evidence,
    );
  },
});

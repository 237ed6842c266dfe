import { describeLeak, firstLeak } from '../internals.js';
import { warmUpFailed } from '../needs.js';
import { check, fail, pass } from '../types.js';
import { describeAnswer, faultOn, injectProtocolError, isCallOf, readableOf, settledCalls } from './calls.js';
import { failStepOf, isVerdict, pipelineOf } from './options.js';

/**
 * Error answers say what failed, not where in the chain's code: no stack
 * traces, no source paths, no runtime error texts. Each failure is judged only
 * once the broken step was called (the injected fault fired).
 */
export const noInternalsLeak = check({
  id: 'chain.no-internals-leak',
  title: "errors carry no stack traces, the chain's source paths or runtime error texts",
  suite: 'chain',
  specRef: 'MCP 2025-11-25 server/tools §Security Considerations (sanitize outputs) · OWASP error handling',
  severity: 'should',
  expected:
    'failed composites (a JSON-RPC error and a tool error downstream) answer without stack frames, file paths or runtime error texts',
  async run(ctx) {
    const got = pipelineOf(ctx);
    if (isVerdict(got)) return got;
    const { p } = got;
    const broken = failStepOf(p);
    const seen: string[] = [];
    let fault: string | undefined;
    for (const kind of ['protocol-error', 'tool-error'] as const) {
      if (fault) await ctx.mock(broken.server).removeFault(fault);
      await ctx.mock(broken.server).clearCalls();
      fault =
        kind === 'protocol-error'
          ? await injectProtocolError(ctx, broken)
          : await faultOn(ctx, broken, { type: 'tool-error', message: 'mcp-harness injected tool error' });
      const r = await ctx.session!.call(p.tool, p.args);
      seen.push(`${kind}: ${describeAnswer(r)}`);
      const leak = firstLeak(readableOf(r));
      if (leak)
        return fail(`with a ${kind} on ${broken.call} the answer leaks ${describeLeak(leak)}`, {
          answers: seen,
        });
      const calls = await settledCalls(ctx, [broken.server], { ready: (c) => c.some(isCallOf(broken)) });
      if (!calls.some(isCallOf(broken)))
        return warmUpFailed(
          `the pipeline ${p.tool} (${broken.call} never called, so the ${kind} never happened)`,
          describeAnswer(r),
        );
    }
    return pass(
      `no stack frame, source path or runtime error text in the answers to a protocol error and a tool error on ${broken.call}`,
      { answers: seen },
    );
  },
});

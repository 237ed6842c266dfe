import { clip } from '../../runner/outcome.js';
import { check, fail, pass } from '../types.js';
import { describeAnswer, faultOn, injectProtocolError, readableOf, STACK_FRAME } from './calls.js';
import { failStepOf, isVerdict, pipelineOf } from './options.js';

/** Error answers say what failed, not where in the chain's code: no stack traces, no source paths. */
export const noInternalsLeak = check({
  id: 'chain.no-internals-leak',
  title: "errors carry no stack traces or the chain's source paths",
  suite: 'chain',
  specRef: 'MCP 2025-11-25 server/tools §Security Considerations (sanitize outputs) · OWASP error handling',
  severity: 'should',
  expected:
    'failed composites (a JSON-RPC error and a tool error downstream) answer without stack frames or file paths',
  async run(ctx) {
    const got = pipelineOf(ctx);
    if (isVerdict(got)) return got;
    const { p } = got;
    const broken = failStepOf(p);
    const seen: string[] = [];
    let fault: string | undefined;
    for (const kind of ['protocol-error', 'tool-error'] as const) {
      if (fault) await ctx.mock(broken.server).removeFault(fault);
      fault =
        kind === 'protocol-error'
          ? await injectProtocolError(ctx, broken)
          : await faultOn(ctx, broken, { type: 'tool-error', message: 'mcp-harness injected tool error' });
      const r = await ctx.session!.call(p.tool, p.args);
      seen.push(`${kind}: ${describeAnswer(r)}`);
      const leak = STACK_FRAME.exec(readableOf(r));
      if (leak)
        return fail(
          `with a ${kind} on ${broken.call} the answer leaks ${JSON.stringify(clip(leak[0], 120))}`,
          {
            answers: seen,
          },
        );
    }
    return pass(
      `no stack frame or source path in the answers to a protocol error and a tool error on ${broken.call}`,
      {
        answers: seen,
      },
    );
  },
});

import { check, fail, pass } from '../types.js';
import { describeAnswer, INJECTED, injectProtocolError, structuredOf } from './calls.js';
import { failStepOf, isVerdict, pipelineOf } from './options.js';

/** A failed composite is a tool error the caller can act on: isError, naming where it failed, as data. */
export const structuredError = check({
  id: 'chain.structured-error',
  title: 'a failed pipeline answers isError with structured content naming the failed step',
  suite: 'chain',
  specRef:
    'MCP 2025-11-25 server/tools §Error Handling (tool execution errors: isError: true) · practice: structured failure {failedStep, server, tool, error}',
  severity: 'must',
  expected:
    'when a step fails, the composite answers isError: true with structuredContent {failedStep, server, tool, error} naming that step',
  async run(ctx) {
    const got = pipelineOf(ctx);
    if (isVerdict(got)) return got;
    const { p } = got;
    const broken = failStepOf(p);
    await injectProtocolError(ctx, broken);
    const r = await ctx.session!.call(p.tool, p.args);
    const answer = describeAnswer(r);
    const evidence = { answer };
    if (r.outcome !== 'ok' && r.outcome !== 'isError')
      return fail(`the failure of ${broken.call} came back as ${answer}, not as a tool result`, evidence);
    const problems: string[] = [];
    if (r.outcome !== 'isError') problems.push('isError is not true');
    const s = structuredOf(r);
    if (!s) problems.push('no structuredContent');
    else {
      if (s.server !== broken.server)
        problems.push(`server is ${JSON.stringify(s.server)}, not '${broken.server}'`);
      if (s.tool !== broken.tool) problems.push(`tool is ${JSON.stringify(s.tool)}, not '${broken.tool}'`);
      if (typeof s.failedStep !== 'string' || s.failedStep === '') problems.push('no failedStep');
      else if (broken.id !== undefined && s.failedStep !== broken.id)
        problems.push(`failedStep is '${s.failedStep}', not '${broken.id}'`);
      if (typeof s.error !== 'string' || !s.error.includes(INJECTED.message))
        problems.push(`error ${JSON.stringify(s.error)} does not carry the downstream error`);
    }
    if (problems.length > 0)
      return fail(
        `${broken.call} failed; the composite answered ${answer}: ${problems.join('; ')}`,
        evidence,
      );
    return pass(
      `isError: true naming step '${String(s?.failedStep)}' on ${broken.call}: ${answer}`,
      evidence,
    );
  },
});

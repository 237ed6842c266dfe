import { check, fail, pass, skip } from '../types.js';
import {
  answeredWithError,
  boundMs,
  callEvidence,
  describeCall,
  ms,
  resolveTools,
} from './resilience-util.js';

/** Garbage instead of an answer costs one call an error; the gateway and the backend stay usable. */
export const malformedBackendSurvived = check({
  id: 'gateway.malformed-backend-survived',
  title: 'a malformed backend answer fails that call only',
  suite: 'gateway',
  specRef:
    'practice: an invalid downstream message fails the request it belongs to (MCP 2025-11-25 basic ' +
    '§JSON-RPC messages), not the gateway or later requests',
  severity: 'must',
  disruptive: true,
  expected:
    "a call alpha answers with truncated JSON gets an error within the target's timeout + 1 s; " +
    'the next calls to alpha and beta succeed',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    const r = await resolveTools(ctx, ['alpha.echo', 'beta.echo']);
    if (!r.names) return r.verdict;
    const [echo, other] = r.names as [string, string];
    const s = ctx.session;
    const bound = boundMs(ctx);

    const alpha = ctx.mock('alpha');
    const fault = await alpha.addFault({
      id: 'mcp-harness-malformed',
      type: 'malformed',
      tools: ['echo'],
      shape: 'truncated-json',
      for: 1,
    });
    ctx.defer(() => alpha.removeFault(fault));
    const bad = await s.call(echo, { message: 'answered with garbage' }, { timeoutMs: bound });
    const next = await s.call(echo, { message: 'after the garbage' }, { timeoutMs: bound });
    const beta = await s.call(other, { message: 'after the garbage' }, { timeoutMs: bound });
    const evidence = {
      boundMs: bound,
      timeToErrorMs: bad.outcome === 'timeout' ? undefined : ms(bad.durationMs),
      malformedCall: callEvidence(bad),
      nextCall: callEvidence(next),
      betaCall: callEvidence(beta),
    };
    const problems: string[] = [];
    if (!answeredWithError(bad))
      problems.push(`the call answered with garbage: ${describeCall(bad)} (expected an error answer)`);
    if (next.outcome !== 'ok') problems.push(`the next call to alpha: ${describeCall(next)}`);
    if (beta.outcome !== 'ok') problems.push(`a call to beta: ${describeCall(beta)}`);
    if (problems.length > 0) return fail(problems.join('; '), evidence);
    return pass(
      `malformed answer → ${describeCall(bad)}; the next calls to alpha and beta succeed`,
      evidence,
    );
  },
});

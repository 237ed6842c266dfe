import { check, fail, pass, skip } from '../types.js';
import {
  answeredWithError,
  callEvidence,
  deadlineMs,
  describeCall,
  renewing,
  resolveTools,
  timing,
  waitMs,
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
    "a call alpha answers with truncated JSON gets an error within the target's deadlineMs + 1 s " +
    '(a later answer is slow, none within twice the deadline a hang); the next calls to alpha and beta succeed',
  async run(ctx) {
    if (!ctx.session) return skip('no single endpoint');
    // A bridge has no other backend: then alpha's own calls are judged.
    const r = await resolveTools(
      ctx,
      ctx.fleet.mocks.has('beta') ? ['alpha.echo', 'beta.echo'] : ['alpha.echo'],
    );
    if (!r.names) return r.verdict;
    const [echo, other] = r.names as [string, string | undefined];
    const s = renewing(ctx, ctx.session);
    const wait = waitMs(ctx);

    const alpha = ctx.mock('alpha');
    const fault = await alpha.addFault({
      id: 'mcp-harness-malformed',
      type: 'malformed',
      tools: ['echo'],
      shape: 'truncated-json',
      for: 1,
    });
    ctx.defer(() => alpha.removeFault(fault));
    const bad = await s.call(echo, { message: 'answered with garbage' }, { timeoutMs: wait });
    const next = await s.call(echo, { message: 'after the garbage' }, { timeoutMs: wait });
    const beta = other
      ? await s.call(other, { message: 'after the garbage' }, { timeoutMs: wait })
      : undefined;
    const t = timing(ctx, bad);
    const evidence = {
      deadlineMs: deadlineMs(ctx),
      waitMs: wait,
      timeToErrorMs: t.timeToAnswerMs,
      ...(s.renewed > 0 ? { sessionsRenewedAfter404: s.renewed } : {}),
      malformedCall: callEvidence(bad),
      nextCall: callEvidence(next),
      ...(beta ? { betaCall: callEvidence(beta) } : {}),
    };
    const problems: string[] = [];
    if (t.verdict === 'hung') problems.push(`the call answered with garbage: ${t.says}`);
    else if (!answeredWithError(bad))
      problems.push(`the call answered with garbage: ${describeCall(bad)} (expected an error answer)`);
    else if (t.verdict === 'slow') problems.push(`the call answered with garbage was ${t.says}`);
    if (next.outcome !== 'ok') problems.push(`the next call to alpha: ${describeCall(next)}`);
    if (beta && beta.outcome !== 'ok') problems.push(`a call to beta: ${describeCall(beta)}`);
    if (problems.length > 0) return fail(problems.join('; '), evidence);
    return pass(
      `malformed answer → ${describeCall(bad)}; the next calls to alpha${beta ? ' and beta' : ''} succeed`,
      evidence,
    );
  },
});

import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { nowUs } from '../measure/clock.js';
import { injectTraceparent } from '../measure/trace-context.js';
import type { StepResult } from '../schema/result.js';
import { SAMPLE_METRICS } from '../schema/sample.js';
import { ToolNotMappedError } from '../target/target.js';
import type { ExecContext, StepScope } from './context.js';
import { DeadlineError, raceSignal } from './deadline.js';
import { evaluateExpectations } from './expect.js';
import { type CallOutcome, clip, describeOutcome, fromError, fromResult, stepValue } from './outcome.js';
import type { PlannedCall } from './plan-types.js';
import { renderReferences } from './references.js';

/** The argument key carrying the correlation value when attribution is `argument`. */
export const CORRELATION_ARG = '_mcp_harness_call';

/**
 * Run one call step: render its arguments, route the logical tool, send it
 * with a client span's traceparent in `_meta`, bound it by the step deadline,
 * then record the sample and evaluate expectations. Never throws: every
 * failure is a step result with a reason.
 */
export async function executeCall(
  step: PlannedCall,
  ctx: ExecContext,
  scope: StepScope,
): Promise<StepResult> {
  const name = step.name + scope.suffix;
  const base = { name, kind: 'call' as const, tool: step.tool };
  let args: Record<string, unknown>;
  try {
    args = renderReferences(step.args, {
      steps: ctx.values,
      vars: ctx.plan.vars,
      iteration: scope.iteration,
      run: { id: ctx.runId },
    });
  } catch (e) {
    // A call whose arguments cannot be built is a failure of the flow, not a skip.
    return finish(ctx, step, {
      ...base,
      status: 'fail',
      durationUs: 0,
      reason: `arguments: ${(e as Error).message}`,
      expectations: [],
    });
  }
  const route = ctx.target.route(step.tool);
  if (!route) {
    const err = new ToolNotMappedError(
      step.tool,
      ctx.target.toolMap.problems.filter((p) => p.logical === step.tool),
    );
    return finish(ctx, step, {
      ...base,
      status: 'fail',
      durationUs: 0,
      reason: err.message,
      expectations: [],
    });
  }
  const correlationId =
    ctx.plan.attribution === 'argument' ? `${ctx.runId}-${ctx.calls.length + 1}` : undefined;
  if (correlationId) args = { ...args, [CORRELATION_ARG]: correlationId };

  const span = ctx.tracing.startClientSpan({
    method: 'tools/call',
    toolName: route.name,
    transport: ctx.target.connections.get(route.client)?.endpoint.transport,
    sessionId: sessionOf(ctx, route.client),
  });
  const meta = injectTraceparent({}, span)._meta;
  const t0 = nowUs();
  let o: CallOutcome;
  try {
    // The step deadline is the SDK's request timeout (it also sends notifications/cancelled);
    // the race only ends the step early when the enclosing group or the run is aborted.
    // No per-call AbortSignal: it measurably slows the SDK's hot path.
    const result = await raceSignal(
      ctx.target.callTool(step.tool, args, { meta, timeoutMs: step.timeoutMs }),
      scope.signal,
    );
    o = fromResult(result as Record<string, unknown>);
    ctx.tracing.endSpan(span, { result });
  } catch (e) {
    const reason = isRequestTimeout(e) ? new DeadlineError(step.timeoutMs, step.tool) : e;
    o = reason instanceof DeadlineError ? { outcome: 'timeout', message: reason.message } : fromError(reason);
    ctx.tracing.endSpan(span, { error: reason });
  }
  const t1 = nowUs();
  const durationUs = t1 - t0;
  const traceId = span.spanContext().traceId;

  ctx.values.set(step.name, stepValue(o));
  ctx.sinks.record({
    metric: SAMPLE_METRICS.stepDuration,
    value: durationUs,
    t: t1,
    traceId,
    tags: {
      scenario: ctx.plan.name,
      step: step.name,
      tool: step.tool,
      target: ctx.plan.targetName,
      pattern: ctx.plan.target.pattern,
      outcome: o.outcome,
    },
  });
  const expectations = evaluateExpectations(name, step.tool, step.expect, o, durationUs);
  const failed = expectations.some((e) => e.status === 'fail');
  const result: StepResult = {
    ...base,
    status: failed ? 'fail' : 'pass',
    durationUs,
    outcome: o.outcome,
    ...(failed || o.outcome !== 'ok' ? { reason: reasonOf(o, expectations) } : {}),
    expectations,
  };
  ctx.calls.push({
    result,
    step: step.name,
    tool: step.tool,
    exposed: route.name,
    args,
    traceId,
    correlationId,
    t0,
    t1,
    outcome: o.outcome,
    concurrent: scope.concurrent,
    servedBy: step.expect.servedBy,
  });
  return finish(ctx, step, result);
}

function finish(ctx: ExecContext, step: PlannedCall, result: StepResult): StepResult {
  ctx.results.push(result);
  ctx.callResults.push({ step: step.name, tool: step.tool, result });
  ctx.onStep?.(result);
  return result;
}

/** Why a call step failed: what went wrong on the wire, else the first failed expectation. */
function reasonOf(o: CallOutcome, expectations: StepResult['expectations']): string {
  if (o.outcome !== 'ok') return clip(describeOutcome(o), 400);
  const e = expectations.find((x) => x.status === 'fail');
  return e ? clip(`${e.expectation}: expected ${e.expected}, observed ${e.observed}`, 400) : 'ok';
}

function isRequestTimeout(e: unknown): boolean {
  return e instanceof SdkError && e.code === SdkErrorCode.RequestTimeout;
}

function sessionOf(ctx: ExecContext, client: string): string | undefined {
  const transport = ctx.target.connections.get(client)?.transport as { sessionId?: string } | undefined;
  return transport?.sessionId;
}

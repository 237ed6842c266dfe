import { randomBytes } from 'node:crypto';
import type { Fleet } from '../../mocks/server/fleet.js';
import { nowUs } from '../measure/clock.js';
import type { McpTracing } from '../measure/otel.js';
import { createSinks } from '../measure/sinks.js';
import { type BaselineModel, finishAttribution } from '../runner/attribute-steps.js';
import type { ExecContext } from '../runner/context.js';
import { executeSteps } from '../runner/steps.js';
import type { StepResult } from '../schema/result.js';
import type { Target } from '../target/target.js';
import type { Meter } from './meter.js';
import type { PlannedTarget } from './plan.js';

/**
 * One workflow through one open target, measured: the steps run as
 * `mcp-harness run` runs them (deadlines, references, traceparent), then the
 * mocks' call logs are read once for attribution and for the requests they
 * received, and cleared, so the next workflow starts from an empty log.
 */
export interface OpenTarget {
  planned: PlannedTarget;
  target: Target;
  meter: Meter;
}

export interface WorkflowRun {
  /** Call step results (one per unit), in order. */
  steps: StepResult[];
  /** Arguments each unit was called with, by unit name. */
  args: Map<string, Record<string, unknown>>;
  durationUs: number;
  clientRequests: number;
  downstreamRequests: number;
  downstreamToolCalls: number;
  sent: number;
  received: number;
}

export interface WorkflowEnv {
  fleet: Fleet;
  tracing: McpTracing;
  /** Calibration of warm connections (compare warms every target up before it measures). */
  baselines: BaselineModel;
  signal: AbortSignal;
}

export async function runWorkflow(open: OpenTarget, env: WorkflowEnv): Promise<WorkflowRun> {
  const { plan } = open.planned;
  const ctx: ExecContext = {
    plan,
    target: open.target,
    fleet: env.fleet,
    tracing: env.tracing,
    sinks: createSinks(),
    runId: randomBytes(4).toString('hex'),
    values: new Map(),
    results: [],
    calls: [],
    callResults: [],
  };
  open.meter.take();
  const t0 = nowUs();
  await executeSteps(plan.steps, ctx, { signal: env.signal, suffix: '', concurrent: false });
  const t1 = nowUs();
  const wire = open.meter.take();
  await finishAttribution(ctx, env.fleet, env.baselines);
  const downstream = await drainRequests(env.fleet);
  return {
    steps: ctx.callResults.map((c) => c.result),
    args: new Map(ctx.calls.map((c) => [c.step, c.args])),
    durationUs: t1 - t0,
    clientRequests: wire.requests,
    downstreamRequests: downstream.requests,
    downstreamToolCalls: downstream.toolCalls,
    sent: wire.sent,
    received: wire.received,
  };
}

/** Requests (all, and tools/call) every mock received since the last drain (its call log); clears the logs. */
export async function drainRequests(fleet: Fleet): Promise<{ requests: number; toolCalls: number }> {
  const out = { requests: 0, toolCalls: 0 };
  for (const mock of fleet.mocks.values()) {
    const records = (await mock.calls().catch(() => [])).filter((r) => r.kind === 'request');
    out.requests += records.length;
    out.toolCalls += records.filter((r) => r.method === 'tools/call').length;
    await mock.clearCalls().catch(() => {});
  }
  return out;
}

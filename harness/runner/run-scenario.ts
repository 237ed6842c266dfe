import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFleet, type Fleet } from '../../mocks/server/fleet.js';
import { isHarnessError } from '../errors.js';
import { paceOf } from '../measure/baseline.js';
import { HistogramSet } from '../measure/histogram-set.js';
import { createTracing, type McpTracing } from '../measure/otel.js';
import type { PromSink } from '../measure/prom.js';
import { RateSet } from '../measure/rate-set.js';
import { createSinks } from '../measure/sinks.js';
import type { CallRecord } from '../schema/call-log.js';
import type { ScenarioResult, StepResult } from '../schema/result.js';
import type { Endpoint, TargetSpec } from '../schema/target.js';
import { openTarget, type Target } from '../target/target.js';
import { type BaselineModel, baselineSummary, finishAttribution, withErrorBars } from './attribute-steps.js';
import { type Calibration, callCountOf, concurrencyOf, roundSizeFor, startCalibration } from './calibrate.js';
import { placementOf, responseModeOf } from './calibration-fleet.js';
import type { ExecContext } from './context.js';
import { fleetEndpoints, fleetPlaceholders } from './fleet-endpoints.js';
import { RATE_METRICS } from './metrics.js';
import { planScenario, walkSteps } from './plan.js';
import type { Plan } from './plan-types.js';
import { executeSteps } from './steps.js';
import { evaluateScenarioThresholds } from './thresholds.js';

/**
 * Run one scenario end to end: plan (unless given one), fleet up, SUT
 * launched/connected, steps with deadlines, attribution from the call logs,
 * thresholds. Always returns a result: a SUT that cannot be reached fails every
 * step with the reason (and sets `error`); only invalid input throws
 * (INVALID_CONFIG, before anything starts). Everything opened is closed.
 */
export interface RunScenarioOptions {
  /** Overrides the scenario's target: a target file or spec. */
  target?: string | TargetSpec;
  signal?: AbortSignal;
  /** Each step result as it completes. */
  onStep?: (result: StepResult, plan: Plan) => void;
  /** Called once the plan is known (e.g. to size a progress bar). */
  onPlan?: (plan: Plan) => void;
  prom?: PromSink;
  tracing?: McpTracing;
  /** Every record of every mock's call log, once the steps are done (e.g. for the mocks' OTLP spans). */
  onCallLog?: (records: CallRecord[]) => void;
  /**
   * A fleet already running (started by the caller, built from the scenario's
   * fleet or a compatible one): used instead of starting one, and left running.
   */
  fleet?: Fleet;
  /** Recalibrate between top-level steps once the last calibration is older than this (default 10 s). */
  recalibrateMs?: number;
  /** After each calibration round: what calibration has measured so far, per transport. */
  onCalibration?: (model: BaselineModel) => void;
}

export async function runScenario(
  source: string | object,
  options: RunScenarioOptions = {},
): Promise<ScenarioResult> {
  const plan = isPlan(source) ? source : await planScenario(source, { target: options.target });
  options.onPlan?.(plan);
  const started = new Date();
  const t0 = performance.now();
  const histograms = new HistogramSet();
  const sinks = createSinks({ histograms, prom: options.prom });
  const tracing = options.tracing ?? createTracing({ keepInMemory: false });
  const results: StepResult[] = [];
  const rates = new RateSet();
  const cleanup: Array<() => Promise<unknown>> = [];
  let error: ScenarioResult['error'];
  let eras: ScenarioResult['eras'];
  let model: BaselineModel = {};
  let ctx: ExecContext | undefined;
  try {
    const workDir = await mkdtemp(join(tmpdir(), 'mcp-harness-run-'));
    cleanup.push(() => rm(workDir, { recursive: true, force: true }));
    const fleet =
      options.fleet ?? (plan.fleet ? createFleet(plan.fleet, { fleetFile: plan.fleetFile }) : undefined);
    let fleetEps: Record<string, Endpoint> | undefined;
    let placeholders: Record<string, string> = {};
    if (fleet && !options.fleet) {
      cleanup.push(() => fleet.stop());
      await fleet.start();
    }
    if (fleet) {
      placeholders = fleetPlaceholders(
        fleet,
        await fleet.writeMcpServersFile(join(workDir, 'mcpServers.json')),
      );
      fleetEps = fleetEndpoints(fleet);
      const onCallLog = options.onCallLog;
      if (onCallLog)
        cleanup.push(async () =>
          onCallLog(
            (await Promise.all([...fleet.mocks.values()].map((m) => m.calls().catch(() => [])))).flat(),
          ),
        );
    }
    const target = await openTarget(plan.target, {
      placeholders,
      fleetEndpoints: fleetEps,
      expectedTools: plan.tools,
      signal: options.signal,
    });
    cleanup.push(() => target.close());
    eras = Object.fromEntries([...target.connections].map(([name, c]) => [name, c.era]));
    await warmUp(target);
    // Measured before, between and after the steps (see calibrate.ts); subtracted from overhead.
    const concurrency = concurrencyOf(plan.steps);
    const roundSize = roundSizeFor(callCountOf(plan.steps));
    const endpoints = [...target.connections.values()].map((c) => c.endpoint);
    const calibration =
      plan.calibrate && fleet && plan.attribution !== 'none'
        ? await startCalibration(transportsOf(target), {
            tracing,
            concurrency: [concurrency],
            timeoutMs: plan.stepTimeoutMs,
            placement: placementOf(plan.target.pattern, fleet, endpoints),
            host: fleet,
            // HTTP endpoints of one run answer alike in practice; the first one's way is calibrated.
            response: await responseModeOf(
              endpoints.find((e) => e.transport === 'http'),
              fleet,
            ),
          })
        : undefined;
    if (calibration) {
      cleanup.push(() => calibration.close());
      await calibration.measure(roundSize);
      options.onCalibration?.(calibration.model());
    }
    ctx = {
      plan,
      target,
      fleet,
      tracing,
      sinks,
      runId: randomBytes(4).toString('hex'),
      values: new Map(),
      results,
      calls: [],
      callResults: [],
      onStep: (r) => options.onStep?.(r, plan),
    };
    await executeTopLevel(ctx, calibration, options);
    if (calibration) {
      await calibration.measure(roundSize, paceOf(ctx.calls));
      model = calibration.model();
      options.onCalibration?.(model);
    }
    if (fleet) await finishAttribution(ctx, fleet, model, concurrency);
  } catch (e) {
    if (!isHarnessError(e) || e.code === 'INVALID_CONFIG') throw e;
    error = { code: e.code, message: e.render() };
    failUnrun(plan, results, `the scenario could not run: ${e.message}`, options.onStep);
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  }
  for (const { step, tool, result } of ctx?.callResults ?? []) {
    const tags = { scenario: plan.name, step, tool };
    rates.record(RATE_METRICS.stepFailed, tags, result.status === 'fail');
    for (const e of result.expectations) rates.record(RATE_METRICS.expectations, tags, e.status === 'pass');
  }
  const thresholds = evaluateScenarioThresholds(plan, histograms, rates);
  const failed =
    error !== undefined || results.some((r) => r.status === 'fail') || thresholds.some((t) => !t.pass);
  return {
    scenario: plan.name,
    target: plan.targetName,
    pattern: plan.target.pattern,
    status: failed ? 'fail' : 'pass',
    startedAt: started.toISOString(),
    durationMs: Math.round((performance.now() - t0) * 1000) / 1000,
    steps: results,
    thresholds,
    histograms: withErrorBars(histograms.encode(), model),
    ...(Object.keys(model).length ? { baselineUs: baselineSummary(model) } : {}),
    ...(error ? { error } : {}),
    ...(eras ? { eras } : {}),
    ...(ctx?.propagation ? { propagation: ctx.propagation } : {}),
  };
}

/**
 * A few pings on every connection before the first step, so the first call's
 * overhead is not the cost of a cold connection and cold code paths. Best
 * effort: a SUT that does not answer ping is measured as it is.
 */
async function warmUp(target: Target): Promise<void> {
  for (const c of target.connections.values()) {
    // The 2026-07-28 era has no ping: its cheapest request is a tool list.
    const once = () =>
      c.era === 'modern'
        ? c.client.listTools(undefined, { timeout: 2_000 })
        : c.client.ping({ timeout: 2_000 });
    for (let i = 0; i < 3; i++) await once().catch(() => {});
  }
}

/**
 * The top-level steps in order, with a calibration round between two of them
 * once the last one is older than `recalibrateMs` (never during a step, so no
 * measured call shares the machine with a calibration call).
 */
async function executeTopLevel(
  ctx: ExecContext,
  calibration: Calibration | undefined,
  options: RunScenarioOptions,
): Promise<void> {
  const signal = options.signal ?? new AbortController().signal;
  const every = options.recalibrateMs ?? 10_000;
  let calibratedAt = performance.now();
  for (const [i, step] of ctx.plan.steps.entries()) {
    if (signal.aborted) return;
    if (calibration && i > 0 && performance.now() - calibratedAt > every) {
      await calibration.measure(20, paceOf(ctx.calls));
      options.onCalibration?.(calibration.model());
      calibratedAt = performance.now();
    }
    await executeSteps([step], ctx, { signal, suffix: '', concurrent: false });
  }
}

function isPlan(v: unknown): v is Plan {
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray((v as Plan).steps) &&
    typeof (v as Plan).targetName === 'string'
  );
}

function transportsOf(target: Target): Set<Endpoint['transport']> {
  return new Set([...target.connections.values()].map((c) => c.endpoint.transport));
}

/** When the run stopped before the steps, every call step fails with the reason; the rest are skipped. */
function failUnrun(
  plan: Plan,
  results: StepResult[],
  reason: string,
  onStep: RunScenarioOptions['onStep'],
): void {
  const done = new Set(results.map((r) => r.name));
  for (const s of walkSteps(plan.steps)) {
    if (done.has(s.name)) continue;
    const r: StepResult = {
      name: s.name,
      kind: s.kind,
      status: s.kind === 'call' ? 'fail' : 'skip',
      durationUs: 0,
      ...(s.kind === 'call' ? { tool: s.tool, outcome: 'transport' as const } : {}),
      reason,
      expectations: [],
    };
    results.push(r);
    onStep?.(r, plan);
  }
}

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fleet } from '../../mocks/server/fleet.js';
import { connectRemoteFleet } from '../../mocks/server/remote-fleet.js';
import { HarnessError } from '../errors.js';
import { nowUs } from '../measure/clock.js';
import type { HistogramSet } from '../measure/histogram-set.js';
import { fleetEndpoints, fleetPlaceholders } from '../runner/fleet-endpoints.js';
import type { PlannedCall, PlannedStep } from '../runner/plan-types.js';
import { collectReferences } from '../runner/references.js';
import type { CallRecord } from '../schema/call-log.js';
import type { LoadOptionsInput, LoadReport, LoadSecond } from '../schema/load.js';
import type { Endpoint } from '../schema/target.js';
import type { Connection } from '../target/connect.js';
import { openTarget, type Target } from '../target/target.js';
import { attributionHistograms, matchSamples } from './attribution.js';
import { calibrateAtLoad, countCalls } from './calibrate-load.js';
import { CallLogReader, readIntervalMs } from './call-log-reader.js';
import { startFleetProcess, withStdioMocks } from './fleet-process.js';
import { planLoad } from './plan-load.js';
import { buildReport } from './report.js';
import type { CallSample, IterationStep, WorkerTask } from './task.js';
import { withThresholds } from './thresholds.js';
import { type RunningTimeline, recoveryOf, startTimeline } from './timeline.js';
import { runWorkers } from './workers.js';

/**
 * `runLoad`: plan (every problem at once, exit 2), the fleet in its own
 * process (or one already running: `fleetAt`), the target opened through the
 * SDK (launching the SUT if it has a recipe, the tool map built), then the
 * executor's schedule run by worker threads, each with its own sessions; the
 * per-second series and the histograms merged into one LoadReport, its
 * thresholds evaluated. With `shard`, the run is that shard's part of the
 * whole (the options are split here; pass the whole run's options).
 * Everything opened is closed on every path.
 */
export interface LoadHooks {
  onSecond?(s: LoadSecond): void;
  /** The shared start (harness clock, µs), once every worker has its sessions open. */
  onStart?(startUs: number): void;
  signal?: AbortSignal;
}

const DEFAULT_MAX_IN_FLIGHT = 256;

export async function runLoad(input: LoadOptionsInput, hooks: LoadHooks = {}): Promise<LoadReport> {
  const { options, executor, plan, fleetRef, timeline } = await planLoad(input);
  const cleanup: Array<() => Promise<unknown>> = [];
  try {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-harness-load-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const fleet: Fleet = options.fleetAt
      ? withStdioMocks(
          await connectRemoteFleet(options.fleetAt, plan.fleet),
          'file' in fleetRef ? fleetRef.file : await writeSpec(dir, fleetRef.spec),
        )
      : await (async () => {
          const p = await startFleetProcess(fleetRef, plan.fleet as NonNullable<typeof plan.fleet>, dir);
          cleanup.push(() => p.stop());
          return p.fleet;
        })();
    const target = await openTarget(plan.target, {
      placeholders: fleetPlaceholders(fleet, await fleet.writeMcpServersFile(join(dir, 'mcpServers.json'))),
      fleetEndpoints: fleetEndpoints(fleet),
      expectedTools: plan.tools,
      signal: hooks.signal,
    });
    cleanup.push(() => target.close());

    const probe = executor.schedule(options, { index: 0, count: 1 });
    // A closed loop never has more workers than sessions.
    const wanted = Math.max(1, options.workers ?? availableParallelism());
    const workers = probe.loop === 'closed' ? Math.max(1, Math.min(wanted, probe.vus)) : wanted;
    const steps = iterationSteps(plan.steps, target);
    const endpoints: Record<string, Endpoint> = {};
    for (const key of clientsOf(steps)) endpoints[key] = (target.connections.get(key) as Connection).endpoint;
    const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    const peakRate = probe.loop === 'open' ? probe.peakRate : undefined;
    const tasks: WorkerTask[] = Array.from({ length: workers }, (_, index) => ({
      share: { index, count: workers },
      options,
      endpoints,
      protocol: plan.target.protocol,
      timeoutMs: options.timeoutMs ?? plan.target.timeoutMs,
      connectTimeoutMs: plan.target.timeoutMs,
      steps,
      perStep: options.scenario !== undefined,
      vars: plan.vars,
      maxInFlight: Math.max(1, Math.floor(maxInFlight / workers)),
      sessions: Math.max(1, Math.ceil((options.sessions ?? workers) / workers)),
      tracePrefix: randomBytes(8).toString('hex'),
      sampleEvery: Math.max(1, Math.round((peakRate ?? 1000) / options.sampleRate)),
      hotPath: options.hotPath,
    }));
    let startedAt = new Date();
    let faults: RunningTimeline | undefined;
    cleanup.push(async () => faults?.stop());
    const attributing =
      options.attribution ?? (plan.target.pattern === 'gateway' || plan.target.pattern === 'chain');
    // Sampled records are read from the call logs during the run (they keep only their newest records).
    const logs = attributing
      ? new CallLogReader(
          fleet,
          tasks.map((t) => t.tracePrefix),
          ((options.timeoutMs ?? plan.target.timeoutMs) + 1000) * 1000,
        )
      : undefined;
    cleanup.push(async () => logs?.close());
    const result = await runWorkers(tasks, {
      ...hooks,
      onStart: (us) => {
        startedAt = new Date(Date.now() + (us - nowUs()) / 1000);
        if (timeline.length > 0) faults = startTimeline(timeline, fleet, us);
        logs?.start(readIntervalMs(peakRate && peakRate * Math.max(1, countCalls(steps))));
        hooks.onStart?.(us);
      },
    });
    const durationUs = Math.max(0, nowUs() - result.startUs);
    await faults?.stop();
    const attribution = logs
      ? await attribute(
          tasks,
          result.done.flatMap((d) => d.samples),
          await logs.stop(),
          fleet,
          endpoints,
          dir,
        )
      : undefined;
    const report = buildReport({
      options,
      executor: executor.name,
      targetName: plan.targetName,
      pattern: plan.target.pattern,
      startedAt,
      durationUs,
      workers,
      targetRate: peakRate,
      result,
      timeline: faults ? recoveryOf(faults.applied, result.seconds) : [],
      histograms: attribution?.histograms,
      attribution: attribution?.summary,
    });
    return withThresholds(report);
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  }
}

/** Match the samples in the call logs, calibrate the harness at the same load, and split service time. */
async function attribute(
  tasks: WorkerTask[],
  samples: CallSample[],
  byTrace: Map<string, CallRecord[]>,
  fleet: Fleet,
  endpoints: Record<string, Endpoint>,
  dir: string,
): Promise<{ histograms: HistogramSet; summary: NonNullable<LoadReport['attribution']> }> {
  const matched = matchSamples(samples, byTrace);
  const first = Object.values(endpoints)[0] as Endpoint;
  const cost =
    matched.length > 0 ? await calibrateAtLoad(tasks, first, fleet, dir) : { p50: 0, spread: 0, count: 0 };
  const histograms = attributionHistograms(matched, cost.p50);
  return {
    histograms,
    summary: {
      method: 'traceparent',
      sampled: samples.filter((s) => s.ok).length,
      matched: matched.length,
      harnessCostUs: Math.round(cost.p50),
      harnessCostSpreadUs: Math.round(cost.spread),
      calibrationCalls: cost.count,
    },
  };
}

/** The connections the iteration's calls use. */
function clientsOf(steps: readonly IterationStep[]): Set<string> {
  const out = new Set<string>();
  for (const s of steps) {
    if (s.kind === 'call') out.add(s.client);
    else if (s.kind !== 'wait') for (const c of clientsOf(s.steps)) out.add(c);
  }
  return out;
}

async function writeSpec(dir: string, spec: unknown): Promise<string> {
  const file = join(dir, 'fleet.json');
  await writeFile(file, JSON.stringify(spec));
  return file;
}

/** The plan's call steps with each logical tool routed to a connection and its exposed name. */
function iterationSteps(steps: readonly PlannedStep[], target: Target): IterationStep[] {
  const out: IterationStep[] = [];
  for (const s of steps) {
    if (s.kind === 'call') {
      const r = target.route(s.tool);
      if (!r) {
        const why = target.toolMap.problems.filter((p) => p.logical === s.tool).map((p) => p.detail);
        throw new HarnessError('INVALID_CONFIG', `the target cannot call ${s.tool}`, {
          problems: [
            {
              path: s.path,
              message: `the target exposes no unique tool for ${s.tool}${why.length ? ` (${why.join('; ')})` : ''}`,
            },
          ],
        });
      }
      const expect = withoutServedBy(s.expect);
      out.push({
        kind: 'call',
        step: s.name,
        logical: s.tool,
        client: r.client,
        tool: r.name,
        args: s.args,
        refs: collectReferences(s.args).refs.length > 0,
        ...(expect ? { expect } : {}),
      });
    } else if (s.kind === 'wait') out.push({ kind: 'wait', ms: s.ms });
    else if (s.kind === 'parallel') out.push({ kind: 'parallel', steps: iterationSteps(s.steps, target) });
    else if (s.kind === 'repeat')
      out.push({ kind: 'repeat', times: s.times, steps: iterationSteps(s.steps, target) });
  }
  return out;
}

/**
 * A step's expectations to evaluate under load, when the scenario gave any.
 * `servedBy` needs matching in the call logs per call, which a load run only
 * samples, so it is left out.
 */
function withoutServedBy(expect: PlannedCall['expect']): PlannedCall['expect'] | undefined {
  const { servedBy: _servedBy, ...rest } = expect;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFleet } from '../../mocks/server/fleet.js';
import { isHarnessError } from '../errors.js';
import { createTracing } from '../measure/otel.js';
import type { BaselineModel } from '../runner/attribute-steps.js';
import { baselineSummary } from '../runner/attribute-steps.js';
import { startCalibration, type Transport } from '../runner/calibrate.js';
import { fleetEndpoints, fleetPlaceholders } from '../runner/fleet-endpoints.js';
import { openTarget } from '../target/target.js';
import { catalogueCost } from './catalogue.js';
import { runUnderFault } from './fault-phase.js';
import { meterTarget } from './meter.js';
import { type CompareOptions, planCompare } from './plan.js';
import type { CompareResult, PatternResult } from './schema.js';
import { PatternStats } from './stats.js';
import { drainRequests, type OpenTarget, runWorkflow, type WorkflowEnv } from './workflow.js';

/**
 * One workflow through several targets over ONE fleet, started once:
 * open every target, calibrate the harness's own cost per transport, warm
 * each target up, then run interleaved rounds (each round visits every
 * target, in an order rotated per round, so machine noise hits all alike),
 * then each fault once per target. Invalid input throws INVALID_CONFIG before
 * anything starts; a target that cannot be opened is a failed pattern with
 * its reason. Everything opened is closed on every path.
 */
export interface RunCompareOptions extends CompareOptions {
  signal?: AbortSignal;
  /** One line per phase and round (progress). */
  onProgress?: (line: string) => void;
}

export async function runCompare(
  source: string | undefined,
  options: RunCompareOptions = {},
): Promise<CompareResult> {
  const plan = await planCompare(source, options);
  const started = new Date();
  const t0 = performance.now();
  const signal = options.signal ?? new AbortController().signal;
  const say = (line: string) => options.onProgress?.(line);
  const first = plan.targets[0]?.plan;
  const cleanup: Array<() => Promise<unknown>> = [];
  const errors = new Map<string, string>();
  const opened: OpenTarget[] = [];
  const stats = new Map(plan.targets.map((t) => [t.label, new PatternStats(t.label, t.units)]));
  const faults = new Map<string, PatternResult['faults']>();
  const catalogues = new Map<string, PatternResult['catalogue']>();
  let model: BaselineModel = {};
  try {
    const workDir = await mkdtemp(join(tmpdir(), 'mcp-harness-compare-'));
    cleanup.push(() => rm(workDir, { recursive: true, force: true }));
    const fleet = createFleet(first?.fleet, { fleetFile: first?.fleetFile });
    cleanup.push(() => fleet.stop());
    await fleet.start();
    const placeholders = fleetPlaceholders(
      fleet,
      await fleet.writeMcpServersFile(join(workDir, 'mcpServers.json')),
    );
    const endpoints = fleetEndpoints(fleet);
    for (const planned of plan.targets) {
      say(`open ${planned.label} (${planned.plan.target.pattern})`);
      try {
        const target = await openTarget(planned.plan.target, {
          placeholders,
          fleetEndpoints: endpoints,
          expectedTools: planned.plan.tools,
          signal,
        });
        cleanup.push(() => target.close());
        for (const c of target.connections.values()) {
          for (let i = 0; i < 3; i++) await c.client.ping({ timeout: 2_000 }).catch(() => {});
        }
        catalogues.set(planned.label, catalogueCost(target));
        opened.push({ planned, target, meter: meterTarget(target) });
      } catch (e) {
        if (!isHarnessError(e) || e.code === 'INVALID_CONFIG') throw e;
        errors.set(planned.label, e.render());
      }
    }
    const tracing = createTracing({ keepInMemory: false });
    const transports = new Set<Transport>(
      opened.flatMap((o) => [...o.target.connections.values()].map((c) => c.endpoint.transport)),
    );
    if (first?.calibrate !== false && transports.size > 0) {
      say('calibrate the harness’s own cost per transport');
      const calibration = await startCalibration(transports, { tracing });
      cleanup.push(() => calibration.close());
      await calibration.measure();
      // Every connection is warm by the time it is measured: charge the warm cost only.
      model = Object.fromEntries(
        Object.entries(calibration.model()).map(([k, tb]) => [k, { ...tb, cold: [] }]),
      ) as BaselineModel;
    }
    const env: WorkflowEnv = { fleet, tracing, baselines: model, signal };
    await drainRequests(fleet);
    for (const o of opened) {
      for (let i = 0; i < plan.warmup; i++) await runWorkflow(o, env);
    }
    const clean = new Map<string, Map<string, Record<string, unknown>>>();
    for (let round = 0; round < plan.iterations && !signal.aborted; round++) {
      say(`round ${round + 1}/${plan.iterations}`);
      for (let k = 0; k < opened.length; k++) {
        const o = opened[(round + k) % opened.length] as OpenTarget;
        const run = await runWorkflow(o, env);
        stats.get(o.planned.label)?.add(run);
        if (run.steps.every((s) => s.status === 'pass')) clean.set(o.planned.label, run.args);
      }
    }
    for (const fault of plan.faults) {
      for (const o of opened) {
        if (signal.aborted) break;
        say(`fault ${fault.flag} through ${o.planned.label}`);
        const r = await runUnderFault(o, fault, clean.get(o.planned.label) ?? new Map(), env);
        faults.set(o.planned.label, [...(faults.get(o.planned.label) ?? []), r]);
      }
    }
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  }
  const patterns = plan.targets.map((t): PatternResult => {
    const s = stats.get(t.label) as PatternStats;
    const per = s.perWorkflow();
    const error = errors.get(t.label);
    const workflow = s.workflowResult();
    const failed = error !== undefined || s.workflows === 0 || workflow.failures > 0;
    return {
      target: t.label,
      pattern: t.plan.target.pattern,
      status: failed ? 'fail' : 'pass',
      ...(error ? { error } : {}),
      workflows: s.workflows,
      workflow,
      units: t.units.map((u) => s.unit(u)),
      roundTrips: { client: per.client, downstream: per.downstream, downstreamToolCalls: per.toolCalls },
      bytes: { sent: per.sent, received: per.received },
      catalogue: catalogues.get(t.label) ?? { tools: 0, bytes: 0, tokens: 0, encoding: '' },
      faults: faults.get(t.label) ?? [],
      histograms: s.histograms(),
      ...(Object.keys(model).length ? { baselineUs: baselineSummary(model) } : {}),
    };
  });
  return {
    kind: 'compare',
    name: plan.name,
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    iterations: plan.iterations,
    steps: plan.steps.map((s) => ({ name: s.name, tool: s.tool })),
    fleet: (first?.fleet?.servers ?? []).map((s) => ({ name: s.name, transport: s.transport })),
    patterns,
    status: patterns.every((p) => p.status === 'pass') ? 'pass' : 'fail',
  };
}

import { LatencyHistogram } from '../measure/histogram.js';
import { HistogramSet } from '../measure/histogram-set.js';
import type { HistogramSummary } from '../schema/histogram.js';
import type { StepResult } from '../schema/result.js';
import type { Unit } from './plan.js';
import type { SignedPercentiles, UnitResult } from './schema.js';
import type { WorkflowRun } from './workflow.js';

/**
 * Accumulates one target's measured workflows: per unit and for the whole
 * workflow, latency in an HDR histogram (integer µs) and downstream/overhead
 * in signed ones (overhead keeps its sign), plus the per-workflow counts.
 */
export const WORKFLOW_UNIT = 'workflow';
export const UNIT_METRIC = 'compare_unit_duration';

interface Acc {
  downstream: LatencyHistogram;
  overhead: LatencyHistogram;
  failures: number;
}

export class PatternStats {
  readonly latency = new HistogramSet();
  private readonly acc = new Map<string, Acc>();
  workflows = 0;
  private totals = { client: 0, downstream: 0, toolCalls: 0, sent: 0, received: 0 };

  constructor(
    private readonly target: string,
    private readonly units: readonly Unit[],
  ) {}

  add(run: WorkflowRun): void {
    this.workflows++;
    this.totals.client += run.clientRequests;
    this.totals.downstream += run.downstreamRequests;
    this.totals.toolCalls += run.downstreamToolCalls;
    this.totals.sent += run.sent;
    this.totals.received += run.received;
    let down = 0;
    let over = 0;
    let complete = true;
    let failed = false;
    for (const u of this.units) {
      const step = run.steps.find((s) => s.name === u.name);
      this.record(u.name, step);
      if (step?.status !== 'pass') failed = true;
      if (step?.downstreamUs === undefined || step.overheadUs === undefined) complete = false;
      else {
        down += step.downstreamUs;
        over += step.overheadUs;
      }
    }
    this.latency.record(UNIT_METRIC, { target: this.target, unit: WORKFLOW_UNIT }, run.durationUs);
    const wf = this.accOf(WORKFLOW_UNIT);
    if (failed) wf.failures++;
    if (complete) {
      wf.downstream.record(down);
      wf.overhead.record(over);
    }
  }

  private record(unit: string, step: StepResult | undefined): void {
    const a = this.accOf(unit);
    if (step?.status !== 'pass') a.failures++;
    if (!step) return;
    this.latency.record(UNIT_METRIC, { target: this.target, unit }, step.durationUs);
    if (step.downstreamUs !== undefined) a.downstream.record(step.downstreamUs);
    if (step.overheadUs !== undefined) a.overhead.record(step.overheadUs);
  }

  private accOf(unit: string): Acc {
    let a = this.acc.get(unit);
    if (!a) {
      a = {
        downstream: LatencyHistogram.create({ signed: true }),
        overhead: LatencyHistogram.create({ signed: true }),
        failures: 0,
      };
      this.acc.set(unit, a);
    }
    return a;
  }

  unit(u: Unit): UnitResult {
    const a = this.accOf(u.name);
    return {
      name: u.name,
      tool: u.tool,
      steps: u.steps,
      latency: this.latency.get(UNIT_METRIC, { target: this.target, unit: u.name }).histogram.summary(),
      downstream: signed(a.downstream),
      overhead: signed(a.overhead),
      failures: a.failures,
    };
  }

  workflowResult(): UnitResult {
    return this.unit({ name: WORKFLOW_UNIT, tool: '', steps: this.units.flatMap((u) => u.steps) });
  }

  perWorkflow(): { client: number; downstream: number; toolCalls: number; sent: number; received: number } {
    const n = Math.max(1, this.workflows);
    const r = (v: number) => Math.round((v / n) * 100) / 100;
    return {
      client: r(this.totals.client),
      downstream: r(this.totals.downstream),
      toolCalls: r(this.totals.toolCalls),
      sent: r(this.totals.sent),
      received: r(this.totals.received),
    };
  }

  histograms(): HistogramSummary[] {
    return this.latency.encode();
  }
}

export function signed(h: LatencyHistogram): SignedPercentiles {
  return {
    count: h.count,
    mean: Math.round(h.mean * 10) / 10,
    p50: h.percentile(50),
    p95: h.percentile(95),
    p99: h.percentile(99),
  };
}

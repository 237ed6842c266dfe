import { Gauge, Histogram, type OpenMetricsContentType, Registry } from 'prom-client';

/** Seconds buckets spanning 100 µs … 60 s (1-2.5-5 steps, then 30 s and 60 s for slow chains). */
export const DURATION_BUCKETS_SECONDS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

export const PROM_METRICS = {
  stepDuration: 'mcp_harness_step_duration_seconds',
  downstreamDuration: 'mcp_harness_downstream_duration_seconds',
  overhead: 'mcp_harness_overhead_seconds',
  checkStatus: 'mcp_harness_check_status',
} as const;

const STEP_LABELS = ['scenario', 'step', 'target', 'pattern', 'outcome'] as const;
const DOWNSTREAM_LABELS = ['server', 'tool', 'outcome'] as const;
const OVERHEAD_LABELS = ['target', 'step'] as const;
const CHECK_LABELS = ['suite', 'check', 'status'] as const;

export type StepLabels = Record<(typeof STEP_LABELS)[number], string>;
export type DownstreamLabels = Record<(typeof DOWNSTREAM_LABELS)[number], string>;
export type OverheadLabels = Record<(typeof OVERHEAD_LABELS)[number], string>;

/** Every status a check can have; the gauge is 1 for the current one and 0 for the rest. */
export const CHECK_STATUSES = ['pass', 'fail', 'warn', 'skip', 'blocked'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** Exemplar attached to one observation, linking a histogram bucket to its trace. */
export interface Exemplar {
  trace_id: string;
}

export interface PromSink {
  registry: Registry<OpenMetricsContentType>;
  observeStep(labels: StepLabels, us: number, exemplar?: Exemplar): void;
  observeDownstream(labels: DownstreamLabels, us: number, exemplar?: Exemplar): void;
  observeOverhead(labels: OverheadLabels, us: number, exemplar?: Exemplar): void;
  setCheckStatus(suite: string, check: string, status: CheckStatus): void;
  /** OpenMetrics text exposition (ends with `# EOF`). */
  metrics(): Promise<string>;
}

export interface PromSinkOptions {
  /** Share a registry (e.g. the probe daemon's); it must already be OpenMetrics. */
  registry?: Registry<OpenMetricsContentType>;
  buckets?: number[];
}

/** Durations arrive as integer µs (the harness's unit) and leave in seconds (Prometheus's). */
function seconds(us: number): number {
  return Math.max(0, us) / 1_000_000;
}

/** Keep only the declared labels: prom-client throws on any other key. */
function pick<K extends string>(names: readonly K[], labels: Record<string, string>): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const n of names) out[n] = labels[n] ?? '';
  return out;
}

export function createPromSink(options: PromSinkOptions = {}): PromSink {
  // The registry must be OpenMetrics before the metrics are created, or exemplars are dropped.
  const registry = options.registry ?? new Registry<OpenMetricsContentType>();
  if (!options.registry) registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  else if (registry.contentType !== Registry.OPENMETRICS_CONTENT_TYPE) {
    throw new Error('createPromSink needs an OpenMetrics registry (exemplars are lost otherwise)');
  }
  const buckets = options.buckets ?? DURATION_BUCKETS_SECONDS;
  const histogram = <K extends string>(name: string, help: string, labelNames: readonly K[]) =>
    new Histogram<K>({ name, help, labelNames, buckets, registers: [registry], enableExemplars: true });

  const step = histogram(PROM_METRICS.stepDuration, 'Duration of one scenario step, end to end', STEP_LABELS);
  const downstream = histogram(
    PROM_METRICS.downstreamDuration,
    'Duration of one downstream tool call, measured at the mock',
    DOWNSTREAM_LABELS,
  );
  const overhead = histogram(
    PROM_METRICS.overhead,
    "The system under test's own share of a step: end-to-end minus downstream time",
    OVERHEAD_LABELS,
  );
  const checkStatus = new Gauge({
    name: PROM_METRICS.checkStatus,
    help: 'Conformance check status: 1 for the current status, 0 for the others',
    labelNames: CHECK_LABELS,
    registers: [registry],
  });

  // With exemplars enabled prom-client only accepts the object form of observe().
  const observe = <K extends string>(
    h: Histogram<K>,
    names: readonly K[],
    labels: Record<string, string>,
    us: number,
    exemplar?: Exemplar,
  ) => {
    const exemplarLabels = exemplar ? { trace_id: exemplar.trace_id } : {};
    h.observe({
      labels: pick(names, labels),
      value: seconds(us),
      exemplarLabels: exemplarLabels as Record<K, string>,
    });
  };

  return {
    registry,
    observeStep: (labels, us, exemplar) => observe(step, STEP_LABELS, labels, us, exemplar),
    observeDownstream: (labels, us, exemplar) => observe(downstream, DOWNSTREAM_LABELS, labels, us, exemplar),
    observeOverhead: (labels, us, exemplar) => observe(overhead, OVERHEAD_LABELS, labels, us, exemplar),
    setCheckStatus(suite, check, status) {
      for (const s of CHECK_STATUSES) checkStatus.set({ suite, check, status: s }, s === status ? 1 : 0);
    },
    metrics: () => registry.metrics(),
  };
}

import { HistogramSet } from '../../harness/measure/histogram-set.js';
import type { LoadReport } from '../../harness/schema/load.js';

/**
 * A LoadReport built from given values (for reporters, thresholds and merge
 * tests that need no engine): every value is recorded into real HDR
 * histograms, as the engine does.
 */
export interface ReportValues {
  responseUs: number[];
  serviceUs?: number[];
  overheadUs?: number[];
  startedAt?: string;
  shard?: { index: number; count: number };
  thresholds?: string[];
  seconds?: LoadReport['seconds'];
  errors?: Partial<LoadReport['errors']>;
  dropped?: number;
  expectations?: LoadReport['expectations'];
}

export function loadReportOf(v: ReportValues): LoadReport {
  const set = new HistogramSet();
  for (const us of v.responseUs) set.record('mcp_harness_load_response_time', {}, us);
  for (const us of v.serviceUs ?? v.responseUs) set.record('mcp_harness_load_service_time', {}, us);
  for (const us of v.overheadUs ?? []) set.record('overhead', { server: 'bench' }, us);
  for (const us of v.overheadUs ?? []) set.record('downstream_duration', { server: 'bench' }, Math.abs(us));
  const completed = v.responseUs.length;
  const dropped = v.dropped ?? 0;
  return {
    kind: 'load',
    version: 1,
    target: 'targets/gw.yaml',
    pattern: 'gateway',
    executor: 'constant-arrival-rate',
    options: { target: 'targets/gw.yaml', tool: 'bench.echo', rate: 100, thresholds: v.thresholds ?? [] },
    ...(v.shard && { shard: v.shard }),
    expectations: v.expectations ?? [],
    shardsMerged: 1,
    startedAt: v.startedAt ?? '2026-01-01T00:00:00.000Z',
    durationUs: 2_000_000,
    scheduled: completed + dropped,
    sent: completed,
    completed,
    dropped,
    errors: { isError: 0, jsonrpc: 0, http: 0, timeout: 0, transport: 0, detail: {}, ...v.errors },
    achievedRate: completed / 2,
    targetRate: 100,
    histograms: set.encode(),
    seconds: v.seconds ?? [],
    timeline: [],
    thresholds: [],
    eras: { modern: 2 },
  };
}

/** Deterministic pseudo-random durations (a small LCG), spread over µs to seconds. */
export function durations(n: number, seed: number): number[] {
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    const r = x / 2_147_483_648;
    out.push(Math.round(50 + r * r * r * 2_000_000));
  }
  return out;
}

import { LOAD_METRIC_ALIASES, totalErrors } from '../load/thresholds.js';
import { formatRate, formatSigned } from '../measure/format.js';
import { LatencyHistogram } from '../measure/histogram.js';
import type { HistogramSummary } from '../schema/histogram.js';
import type { ErrorCounts, LoadReport } from '../schema/load.js';
import { SAMPLE_METRICS } from '../schema/sample.js';
import { formatDuration, formatTags } from './format.js';

/**
 * What every load reporter shows, computed once: one row per histogram
 * (response time, service time, then per-step and overhead ones) with
 * p50/p90/p99/p99.9/max, the errors by kind, the expectations, the fault
 * timeline and the thresholds (`summarizeLoad`); the reporters only lay it out.
 */
export const LOAD_COLUMNS = ['p50', 'p90', 'p99', 'p99.9', 'max'] as const;

export interface LoadRow {
  label: string;
  count: number;
  /** Rendered cells in LOAD_COLUMNS order; signed values carry their sign. */
  cells: string[];
}

const LABELS: Record<string, string> = {
  ...Object.fromEntries(
    Object.entries(LOAD_METRIC_ALIASES).map(([alias, metric]) => [metric, alias.replace('_', ' ')]),
  ),
  [SAMPLE_METRICS.downstreamDuration]: 'downstream',
};

function rank(h: HistogramSummary): number {
  const base = LABELS[h.metric] === 'response time' ? 0 : LABELS[h.metric] === 'service time' ? 1 : 2;
  return base * 2 + (Object.keys(h.tags).length > 0 ? 1 : 0);
}

export function loadRows(report: Pick<LoadReport, 'histograms'>): LoadRow[] {
  return [...report.histograms]
    .map((h, i) => ({ h, i }))
    .sort((a, b) => rank(a.h) - rank(b.h) || a.i - b.i)
    .map(({ h }) => {
      const tags = formatTags(h.tags);
      const label = `${LABELS[h.metric] ?? h.metric}${tags ? ` ${tags}` : ''}`;
      if (h.signed) {
        // The signed summary has no p99.9: read every column from the decoded histogram (both parts).
        const d = LatencyHistogram.decode(h.hdr, h.hdrNegative, { signed: true });
        const cells = [50, 90, 99, 99.9, 100].map((p) =>
          formatSigned(d.percentile(p), undefined, formatDuration),
        );
        return { label, count: h.count, cells };
      }
      return { label, count: h.count, cells: [h.p50, h.p90, h.p99, h.p999, h.max].map(formatDuration) };
    });
}

/** `isError 3 · jsonrpc 2 · http 5 · timeout 0 · transport 0`, then the breakdown `(-32603 ×2, 503 ×5)`. */
export function formatErrorKinds(errors: ErrorCounts): string {
  const kinds = (['isError', 'jsonrpc', 'http', 'timeout', 'transport'] as const)
    .map((k) => `${k} ${errors[k]}`)
    .join(' · ');
  const detail = Object.entries(errors.detail)
    .sort(([, a], [, b]) => b - a)
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ');
  return detail ? `${kinds} (${detail})` : kinds;
}

/** `12 of 3000 (0.4%)`. */
export function formatErrorTotal(report: Pick<LoadReport, 'errors' | 'completed'>): string {
  const n = totalErrors(report);
  const share = report.completed > 0 ? ` (${formatRate(n / report.completed)})` : '';
  return `${n} of ${report.completed}${share}`;
}

/** A step expectation's tally: `second › structured.n` and `8 failed of 800 (1%)`. */
export function expectationRows(
  report: Pick<LoadReport, 'expectations'>,
): Array<{ label: string; text: string }> {
  return report.expectations.map((e) => {
    const total = e.passed + e.failed;
    const share = total > 0 ? ` (${formatRate(e.failed / total)})` : '';
    return { label: `${e.step} › ${e.expectation}`, text: `${e.failed} failed of ${total}${share}` };
  });
}

/** `1234.5/s` with at most one decimal. */
export function formatRatePerSecond(rate: number): string {
  return `${Number(rate.toFixed(1))}/s`;
}

/** One line naming the run: target, pattern, executor, load, duration, shard. */
export function describeRun(report: LoadReport): string {
  const o = report.options;
  const load =
    typeof o.rate === 'number'
      ? `rate ${formatRatePerSecond(o.rate)}`
      : typeof o.connections === 'number'
        ? `${o.connections} connections`
        : Array.isArray(o.stages)
          ? `${o.stages.length} stages`
          : '';
  const shard = report.shard
    ? ` · shard ${report.shard.index}/${report.shard.count}`
    : report.shardsMerged > 1
      ? ` · ${report.shardsMerged} shards merged`
      : '';
  const what = typeof o.tool === 'string' ? o.tool : typeof o.scenario === 'string' ? o.scenario : '';
  return [
    `${report.target} (${report.pattern})`,
    what,
    report.executor,
    load,
    formatDuration(report.durationUs),
  ]
    .filter(Boolean)
    .join(' · ')
    .concat(shard);
}

/** A fault-timeline entry as text: `1.00 s`, the action, the server, and `0.25 s` (undefined: not recovered). */
export interface TimelineRow {
  at: string;
  action: string;
  server: string;
  recoveredAfter: string | undefined;
}

/** A threshold's verdict: what it says, what was observed (`—`: nothing), why it could not be evaluated. */
export interface ThresholdRow {
  expression: string;
  pass: boolean;
  observed: string;
  error: string | undefined;
}

/** Everything a load summary shows, as text, in the order the reporters show it. */
export interface LoadSummary {
  run: string;
  achievedRate: string;
  targetRate: string | undefined;
  errorTotal: string;
  errorKinds: string;
  rows: LoadRow[];
  expectations: Array<{ label: string; text: string }>;
  timeline: TimelineRow[];
  thresholds: ThresholdRow[];
  /** How many thresholds failed (an unevaluable one counts). */
  failed: number;
}

const seconds = (us: number): string => `${(us / 1e6).toFixed(2)} s`;

export function summarizeLoad(report: LoadReport): LoadSummary {
  return {
    run: describeRun(report),
    achievedRate: formatRatePerSecond(report.achievedRate),
    targetRate: report.targetRate === undefined ? undefined : formatRatePerSecond(report.targetRate),
    errorTotal: formatErrorTotal(report),
    errorKinds: formatErrorKinds(report.errors),
    rows: loadRows(report),
    expectations: expectationRows(report),
    timeline: report.timeline.map((t) => ({
      at: seconds(t.atUs),
      action: t.action,
      server: t.server,
      recoveredAfter: t.recoveredAfterUs === null ? undefined : seconds(t.recoveredAfterUs),
    })),
    thresholds: report.thresholds.map((t) => ({
      expression: t.expression,
      pass: t.pass,
      observed: t.observed ?? '—',
      error: t.error,
    })),
    failed: report.thresholds.filter((t) => !t.pass).length,
  };
}

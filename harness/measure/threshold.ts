import { z } from 'zod';
import { HarnessError, type Problem } from '../errors.js';
import type { LatencySummary } from '../schema/histogram.js';
import {
  DURATION_AGGREGATIONS,
  type MetricKind,
  parseThreshold,
  type Threshold,
  type ThresholdConfig,
  type ThresholdOp,
} from '../schema/threshold.js';
import { formatCount, formatDuration, formatRate } from './format.js';
import { LatencyHistogram } from './histogram.js';
import type { HistogramSet } from './histogram-set.js';

/** A k6 Rate metric: `passes` counts non-zero (true) samples, `fails` zero ones; rate = passes / total. */
export const RateDataSchema = z.object({
  passes: z.number().int().nonnegative(),
  fails: z.number().int().nonnegative(),
});
export type RateData = z.infer<typeof RateDataSchema>;

/** What a threshold is evaluated against: a histogram (or its summary), a rate, or a counter's count. */
export type ThresholdData = LatencyHistogram | LatencySummary | RateData | number;

export const ThresholdResultSchema = z.object({
  selector: z.string(),
  metric: z.string(),
  tags: z.record(z.string(), z.string()),
  expression: z.string(),
  /** null when nothing could be observed (no samples, or data of the wrong kind). */
  observed: z.object({ value: z.number(), formatted: z.string() }).nullable(),
  pass: z.boolean(),
  /** Why the threshold could not be evaluated; such a threshold fails. */
  error: z.string().optional(),
});
export type ThresholdResult = z.infer<typeof ThresholdResultSchema>;

const COMPARE: Record<ThresholdOp, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/** The percentiles a LatencySummary carries, for p(N) against a summary from a JSON report. */
const SUMMARY_PERCENTILES: Record<string, keyof LatencySummary> = {
  '50': 'p50',
  '90': 'p90',
  '95': 'p95',
  '99': 'p99',
  '99.9': 'p999',
};

/** Compile a threshold config into parsed thresholds; every problem is reported at once. */
export function compileThresholds(
  config: ThresholdConfig,
  kinds: Readonly<Record<string, MetricKind>> = {},
  pathPrefix = 'thresholds',
): Threshold[] {
  const out: Threshold[] = [];
  const problems: Problem[] = [];
  for (const [selector, exprs] of Object.entries(config)) {
    const list = typeof exprs === 'string' ? [exprs] : exprs;
    list.forEach((expression, i) => {
      try {
        out.push(parseThreshold(selector, expression, kinds));
      } catch (e) {
        const index = typeof exprs === 'string' ? '' : `[${i}]`;
        problems.push({ path: `${pathPrefix}.${selector}${index}`, message: (e as Error).message });
      }
    });
  }
  if (problems.length > 0) throw new HarnessError('INVALID_CONFIG', 'invalid thresholds', { problems });
  return out;
}

/** Evaluate one threshold; failures to evaluate are results with `pass: false` and an `error`. */
export function evaluateThreshold(threshold: Threshold, data: ThresholdData | undefined): ThresholdResult {
  const { selector, expression } = threshold;
  const base = {
    selector: selector.source,
    metric: selector.metric,
    tags: selector.tags,
    expression: expression.source,
  };
  const observed =
    data === undefined ? { error: `no samples for ${selector.source}` } : observe(threshold, data);
  if ('error' in observed) return { ...base, observed: null, pass: false, error: observed.error };
  const agg = expression.aggregation;
  const formatted = DURATION_AGGREGATIONS.includes(agg)
    ? formatDuration(observed.value)
    : agg === 'rate'
      ? formatRate(observed.value)
      : formatCount(observed.value);
  return {
    ...base,
    observed: { value: observed.value, formatted },
    pass: COMPARE[expression.op](observed.value, expression.bound),
  };
}

/** Evaluate every threshold, looking each selector's data up in `lookup`. */
export function evaluateThresholds(
  thresholds: readonly Threshold[],
  lookup: (metric: string, tags: Record<string, string>) => ThresholdData | undefined,
): ThresholdResult[] {
  return thresholds.map((t) => evaluateThreshold(t, lookup(t.selector.metric, t.selector.tags)));
}

/** A lookup over a HistogramSet: merges every entry matching the selector's tags. */
export function histogramLookup(
  set: HistogramSet,
): (metric: string, tags: Record<string, string>) => ThresholdData | undefined {
  return (metric, tags) => set.select(metric, tags);
}

function observe(
  { selector, expression }: Threshold,
  data: ThresholdData,
): { value: number } | { error: string } {
  const agg = expression.aggregation;
  const name = agg === 'p' ? `p(${expression.percentile})` : agg;
  const wrongKind = (kind: string) => ({
    error: `${name} does not apply to ${selector.source}, which is a ${kind}`,
  });
  if (typeof data === 'number') return agg === 'count' ? { value: data } : wrongKind('counter');
  if ('passes' in data) {
    const total = data.passes + data.fails;
    if (agg === 'count') return { value: total };
    if (agg !== 'rate') return wrongKind('rate');
    return total === 0 ? { error: `no samples for ${selector.source}` } : { value: data.passes / total };
  }
  if (agg === 'count') return { value: data.count };
  if (agg === 'rate') return wrongKind('duration');
  if (data.count === 0) return { error: `no samples for ${selector.source}` };
  if (data instanceof LatencyHistogram) {
    if (agg === 'p') return { value: data.percentile(expression.percentile ?? 0) };
    if (agg === 'med') return { value: data.percentile(50) };
    return { value: agg === 'avg' ? data.mean : data[agg] };
  }
  if (agg === 'p') {
    const key = SUMMARY_PERCENTILES[String(expression.percentile)];
    if (!key)
      return { error: `${name} needs the full histogram; a summary has p(50), p(90), p(95), p(99), p(99.9)` };
    return { value: data[key] };
  }
  return { value: agg === 'med' ? data.p50 : agg === 'avg' ? data.mean : data[agg] };
}

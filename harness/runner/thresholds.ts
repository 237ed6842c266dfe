import type { HistogramSet } from '../measure/histogram-set.js';
import type { RateSet } from '../measure/rate-set.js';
import { evaluateThresholds } from '../measure/threshold.js';
import type { ThresholdResult } from '../schema/result.js';
import { SCENARIO_METRICS } from './metrics.js';
import type { Plan } from './plan-types.js';

/** Evaluate the scenario's k6-style thresholds over its histograms and rates. */
export function evaluateScenarioThresholds(
  plan: Plan,
  histograms: HistogramSet,
  rates: RateSet,
): ThresholdResult[] {
  const results = evaluateThresholds(plan.thresholds, (metric, tags) =>
    SCENARIO_METRICS[metric] === 'rate' ? rates.select(metric, tags) : histograms.select(metric, tags),
  );
  return results.map((r) => ({
    metric: r.selector,
    expression: r.expression,
    observed: r.observed?.formatted ?? r.error ?? 'no data',
    pass: r.pass,
  }));
}

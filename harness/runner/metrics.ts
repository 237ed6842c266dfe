import { SAMPLE_METRICS } from '../schema/sample.js';
import type { MetricKind } from '../schema/threshold.js';

/**
 * The metrics a scenario's thresholds can name. Durations are HDR histograms
 * (integer µs); rates follow k6: `step_failed` counts failed call steps (so
 * `rate<0.01` reads "under 1% failed"), `expectations` counts passing ones.
 */
export const RATE_METRICS = { stepFailed: 'step_failed', expectations: 'expectations' } as const;

export const SCENARIO_METRICS: Readonly<Record<string, MetricKind>> = {
  [SAMPLE_METRICS.stepDuration]: 'duration',
  [SAMPLE_METRICS.downstreamDuration]: 'duration',
  [SAMPLE_METRICS.overhead]: 'duration',
  [RATE_METRICS.stepFailed]: 'rate',
  [RATE_METRICS.expectations]: 'rate',
};

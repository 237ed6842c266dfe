// The measurement layer's public surface: samples in, histograms / metrics / spans / threshold verdicts out.

export {
  type HistogramSummary,
  HistogramSummarySchema,
  type LatencySummary,
  LatencySummarySchema,
} from '../schema/histogram.js';
export { SAMPLE_METRICS, type Sample, SampleSchema } from '../schema/sample.js';
export {
  AGGREGATIONS,
  type MetricKind,
  MetricKindSchema,
  type MetricSelector,
  metricKind,
  parseMetricSelector,
  parseThreshold,
  parseThresholdExpression,
  type Threshold,
  type ThresholdConfig,
  ThresholdConfigSchema,
  type ThresholdExpression,
  ThresholdParseError,
  ThresholdSchema,
} from '../schema/threshold.js';
export { nowUs, sinceUs } from './clock.js';
export { formatCount, formatDuration, formatRate } from './format.js';
export { LatencyHistogram } from './histogram.js';
export {
  type HistogramEntry,
  HistogramSet,
  type Tags,
  tagKey,
  tagsMatch,
} from './histogram-set.js';
export {
  createTracing,
  errorTypeOf,
  type McpOutcome,
  type McpRequestInfo,
  McpRequestInfoSchema,
  type McpTracing,
  mcpAttributes,
  mcpSpanName,
  type TracingOptions,
} from './otel.js';
export {
  CHECK_STATUSES,
  type CheckStatus,
  createPromSink,
  DURATION_BUCKETS_SECONDS,
  type Exemplar,
  PROM_METRICS,
  type PromSink,
  type PromSinkOptions,
} from './prom.js';
export { RateSet } from './rate-set.js';
export { createSinks, type Sinks, type SinksOptions } from './sinks.js';
export {
  compileThresholds,
  evaluateThreshold,
  evaluateThresholds,
  histogramLookup,
  type RateData,
  RateDataSchema,
  type ThresholdData,
  type ThresholdResult,
  ThresholdResultSchema,
} from './threshold.js';
export {
  contextFromMeta,
  extractTraceparent,
  injectTraceparent,
  type TraceParent,
  TraceParentSchema,
} from './trace-context.js';

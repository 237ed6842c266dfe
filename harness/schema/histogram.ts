import { z } from 'zod';

/**
 * The one shape of a latency histogram outside the process: a percentile
 * summary (integer µs) plus the compressed HDR encoding, so report shards can
 * be merged exactly. `LatencyHistogram.summary()` yields the summary part;
 * `HistogramSet.encode()` yields whole entries.
 */
const Us = z.number().int().nonnegative().describe('integer microseconds');

export const LatencySummarySchema = z
  .object({
    count: z.number().int().nonnegative(),
    min: Us,
    max: Us,
    mean: z.number().nonnegative().describe('µs; the only value that may be fractional'),
    p50: Us,
    p90: Us,
    p95: Us,
    p99: Us,
    p999: Us,
  })
  .strict();
export type LatencySummary = z.infer<typeof LatencySummarySchema>;

export const HistogramSummarySchema = LatencySummarySchema.extend({
  metric: z.string(),
  tags: z.record(z.string(), z.string()),
  hdr: z.base64().describe('compressed base64 HDR histogram, so shards can be merged'),
}).strict();
export type HistogramSummary = z.infer<typeof HistogramSummarySchema>;

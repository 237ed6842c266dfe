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

const SignedUs = z.number().int().describe('integer microseconds, may be < 0');

/**
 * A signed histogram's own summary (overhead = end-to-end − downstream −
 * calibration can be < 0): the signed centre (p50, mean) and its spread.
 */
export const SignedSummarySchema = z
  .object({
    count: z.number().int().nonnegative(),
    min: SignedUs,
    p10: SignedUs,
    p25: SignedUs,
    p50: SignedUs,
    p75: SignedUs,
    p90: SignedUs,
    p99: SignedUs,
    max: SignedUs,
    mean: z.number().describe('µs, may be < 0 and fractional'),
    stddev: z.number().nonnegative(),
  })
  .strict();
export type SignedSummary = z.infer<typeof SignedSummarySchema>;

export const HistogramSummarySchema = LatencySummarySchema.extend({
  metric: z.string(),
  tags: z.record(z.string(), z.string()),
  hdr: z.base64().describe('compressed base64 HDR histogram, so shards can be merged (values ≥ 0)'),
  hdrNegative: z
    .base64()
    .optional()
    .describe('signed histograms: the magnitudes of the values < 0, HDR-encoded like `hdr`'),
  signed: SignedSummarySchema.optional().describe(
    'signed histograms: the signed summary (the top-level percentiles read values < 0 as 0)',
  ),
  errorUs: z
    .number()
    .nonnegative()
    .optional()
    .describe('± of each value: half the interquartile spread of the calibration subtracted from it'),
}).strict();
export type HistogramSummary = z.infer<typeof HistogramSummarySchema>;

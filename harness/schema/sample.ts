import { z } from 'zod';

/**
 * The metric names the harness itself records. Samples use these short names;
 * the prom sink maps them to the `mcp_harness_*_seconds` families.
 */
export const SAMPLE_METRICS = {
  stepDuration: 'step_duration',
  downstreamDuration: 'downstream_duration',
  overhead: 'overhead',
} as const;
export type SampleMetric = (typeof SAMPLE_METRICS)[keyof typeof SAMPLE_METRICS];

/**
 * Metrics whose values keep their sign in histograms: an overhead below 0 is
 * an over-subtraction to show, not to clamp away.
 */
export const SIGNED_METRICS: ReadonlySet<string> = new Set([SAMPLE_METRICS.overhead]);

/**
 * One measured event flowing to the sinks. Durations are integer microseconds
 * (HDR histograms truncate fractions, so producers round once, here at the edge).
 */
export const SampleSchema = z
  .object({
    metric: z.string().min(1),
    value: z.number(),
    tags: z.record(z.string(), z.string()),
    /** When the event happened: integer µs since the epoch, from `nowUs()`. */
    t: z.number().int().nonnegative(),
    /**
     * Trace that produced the sample, kept out of `tags` on purpose: it is
     * unbounded, so it becomes a Prometheus exemplar, never a label or an HDR key.
     */
    traceId: z
      .string()
      .regex(/^[0-9a-f]{32}$/, 'expected a 32-digit lowercase hex trace id')
      .optional(),
  })
  .strict();
export type Sample = z.infer<typeof SampleSchema>;

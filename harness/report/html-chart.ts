import { z } from 'zod';
import { LatencyHistogram } from '../measure/histogram.js';

/**
 * The charts of the HTML report, as data the page's script turns into uPlot
 * charts. One shape for every report kind: `percentiles` (latency by
 * percentile, x in "nines"), `distribution` (how many calls per latency
 * band), `bars` (categories side by side, or `stacked`), and `timeseries`
 * (x in seconds since the start: the shape a load run's throughput and
 * latency over time will use).
 */
export const ChartSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    kind: z.enum(['percentiles', 'distribution', 'bars', 'timeseries']),
    stacked: z
      .boolean()
      .default(false)
      .describe('bars: each series drawn over the previous, as running totals'),
    yLabel: z.string(),
    x: z.array(z.number()),
    categories: z.array(z.string()).optional().describe('bars: the label of each x'),
    series: z.array(
      z.object({
        label: z.string(),
        values: z.array(z.number().nullable()),
        color: z
          .string()
          .regex(/^#[0-9a-f]{6}$/i)
          .optional()
          .describe('default: the palette'),
      }),
    ),
  })
  .strict();
export type Chart = z.input<typeof ChartSchema>;

/** Percentiles on the curve, and where they sit on the x axis (-log10 of what is left above them). */
const PERCENTILES = [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9];
export const nines = (p: number) => -Math.log10(1 - Math.min(p, 99.9) / 100);

/** Latency (ms) by percentile for each encoded HDR histogram. */
export function percentileChart(
  id: string,
  title: string,
  series: Array<{ label: string; hdr: string; hdrNegative?: string }>,
): Chart {
  return {
    id,
    title,
    kind: 'percentiles',
    yLabel: 'ms',
    x: PERCENTILES.map(nines),
    series: series.map((s) => {
      const h = LatencyHistogram.decode(s.hdr, s.hdrNegative);
      return { label: s.label, values: PERCENTILES.map((p) => ms(h.percentile(p))) };
    }),
  };
}

/**
 * How many calls fell into each of `bands` equal latency bands between the
 * smallest and largest value of all series (read from the HDR histograms at
 * 0.5-percentile resolution).
 */
export function distributionChart(
  id: string,
  title: string,
  series: Array<{ label: string; hdr: string; hdrNegative?: string }>,
  bands = 20,
): Chart {
  const hs = series.map((s) => ({ label: s.label, h: LatencyHistogram.decode(s.hdr, s.hdrNegative) }));
  const lo = Math.min(...hs.map((s) => s.h.min));
  const hi = Math.max(...hs.map((s) => s.h.max), lo + 1);
  const width = (hi - lo) / bands;
  const x = Array.from({ length: bands }, (_, i) => ms(lo + width * (i + 0.5)));
  return {
    id,
    title,
    kind: 'distribution',
    yLabel: 'calls',
    x,
    series: hs.map(({ label, h }) => {
      const counts = new Array<number>(bands).fill(0);
      const steps = 200;
      for (let i = 0; i < steps; i++) {
        const v = h.percentile(((i + 0.5) / steps) * 100);
        const band = Math.min(bands - 1, Math.max(0, Math.floor((v - lo) / width)));
        counts[band] = (counts[band] ?? 0) + h.count / steps;
      }
      return { label, values: counts.map((c) => Math.round(c * 10) / 10) };
    }),
  };
}

export function barsChart(
  id: string,
  title: string,
  yLabel: string,
  categories: string[],
  series: Array<{ label: string; values: Array<number | null>; color?: string }>,
  stacked = false,
): Chart {
  return { id, title, kind: 'bars', stacked, yLabel, x: categories.map((_, i) => i), categories, series };
}

export function ms(us: number): number {
  return Math.round(us) / 1000;
}

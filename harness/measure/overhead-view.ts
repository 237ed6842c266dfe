import type { HistogramSummary } from '../schema/histogram.js';
import { SAMPLE_METRICS } from '../schema/sample.js';
import { formatSigned } from './format.js';

/**
 * How reporters read a step's overhead: its signed histogram entry (tagged
 * with the planned step's name; a result of a repeat is named `step[3]`) and
 * the `±` calibration puts on it.
 */
export function overheadEntry(
  histograms: readonly HistogramSummary[],
  stepName: string,
): HistogramSummary | undefined {
  const planned = stepName.replace(/(\[\d+\])+$/, '');
  return histograms.find((h) => h.metric === SAMPLE_METRICS.overhead && h.tags.step === planned);
}

/** One call's overhead: "+1.32ms ± 45µs". */
export function formatStepOverhead(overheadUs: number, entry: HistogramSummary | undefined): string {
  return formatSigned(overheadUs, entry?.errorUs);
}

/**
 * A step's overhead over its calls, signed: "p50 -12µs ± 40µs, mean -8µs,
 * p10…p90 -90µs…+70µs" (undefined for one call: its own value says it all).
 */
export function formatOverheadSpread(entry: HistogramSummary | undefined): string | undefined {
  const s = entry?.signed;
  if (!s || s.count < 2) return undefined;
  return (
    `p50 ${formatSigned(s.p50, entry.errorUs)}, mean ${formatSigned(Math.round(s.mean))}, ` +
    `p10…p90 ${formatSigned(s.p10)}…${formatSigned(s.p90)}`
  );
}

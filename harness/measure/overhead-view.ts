import type { HistogramSummary } from '../schema/histogram.js';
import { SAMPLE_METRICS } from '../schema/sample.js';
import { formatDuration, formatSigned } from './format.js';

type Format = (us: number) => string;

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
export function formatStepOverhead(
  overheadUs: number,
  entry: HistogramSummary | undefined,
  format: Format = formatDuration,
): string {
  return formatSigned(overheadUs, entry?.errorUs, format);
}

/**
 * A step's overhead over its calls, signed: "p50 -12µs ± 40µs, mean -8µs,
 * p10…p90 -90µs…+70µs" (undefined for one call: its own value says it all).
 */
export function formatOverheadSpread(
  entry: HistogramSummary | undefined,
  format: Format = formatDuration,
): string | undefined {
  const s = entry?.signed;
  if (!s || s.count < 2) return undefined;
  const f = (us: number, err?: number) => formatSigned(us, err, format);
  return `p50 ${f(s.p50, entry.errorUs)}, mean ${f(Math.round(s.mean))}, p10…p90 ${f(s.p10)}…${f(s.p90)}`;
}

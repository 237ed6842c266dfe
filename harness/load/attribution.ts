import type { Fleet } from '../../mocks/server/fleet.js';
import { HistogramSet } from '../measure/histogram-set.js';
import { unionUs } from '../runner/attribution.js';
import type { CallRecord } from '../schema/call-log.js';
import { SAMPLE_METRICS } from '../schema/sample.js';
import { CallLogReader } from './call-log-reader.js';
import type { CallSample } from './task.js';

/**
 * Per-hop attribution under load. Sampled calls carry a traceparent whose
 * trace id starts with the run's prefix; the mocks' call logs (bounded: the
 * newest records) are read while the load runs (call-log-reader.ts), and each
 * sample is matched with the downstream records of its trace id. Downstream time is
 * the union of those records' service intervals; what the generator saw
 * beyond it (service time − downstream) is the SUT's overhead plus the
 * harness's own client cost, which the loaded calibration measures.
 */
export interface MatchedSample {
  sample: CallSample;
  downstreamUs: number;
}

/**
 * Every tools/call record of the fleet whose trace id starts with one of
 * `prefixes`, by trace id: one read of the call logs (the calibration phase,
 * short enough for its mock's call log).
 */
export function sampledRecords(
  fleet: Fleet,
  prefixes: readonly string[],
): Promise<Map<string, CallRecord[]>> {
  return new CallLogReader(fleet, prefixes, 0).stop();
}

/** Successful samples whose trace reached a mock, with their downstream time. */
export function matchSamples(
  samples: readonly CallSample[],
  byTrace: Map<string, CallRecord[]>,
): MatchedSample[] {
  const out: MatchedSample[] = [];
  for (const s of samples) {
    const records = s.ok ? byTrace.get(s.traceId) : undefined;
    if (records?.length) out.push({ sample: s, downstreamUs: unionUs(records, s.doneUs) });
  }
  return out;
}

/** The harness's own cost per call (service − downstream) against a bare mock: median and half the IQR. */
export function harnessCost(matched: readonly MatchedSample[]): {
  p50: number;
  spread: number;
  count: number;
} {
  const costs = matched.map((m) => m.sample.doneUs - m.sample.sentUs - m.downstreamUs).sort((a, b) => a - b);
  if (costs.length === 0) return { p50: 0, spread: 0, count: 0 };
  const at = (q: number) => costs[Math.min(costs.length - 1, Math.floor(q * costs.length))] as number;
  return { p50: at(0.5), spread: Math.round((at(0.75) - at(0.25)) / 2), count: costs.length };
}

/**
 * Per step: downstream time and the signed overhead (service − downstream −
 * the harness's calibrated cost), never clamped at 0.
 */
export function attributionHistograms(matched: readonly MatchedSample[], costUs: number): HistogramSet {
  const set = new HistogramSet();
  for (const m of matched) {
    const tags = { step: m.sample.step };
    set.record(SAMPLE_METRICS.downstreamDuration, tags, m.downstreamUs);
    set.record(SAMPLE_METRICS.overhead, tags, m.sample.doneUs - m.sample.sentUs - m.downstreamUs - costUs);
  }
  return set;
}

import { HistogramSet } from '../measure/histogram-set.js';
import type { HistogramSummary } from '../schema/histogram.js';
import type { ExecutorName, LoadOptions, LoadReport } from '../schema/load.js';
import { mergeExpectationCounts } from './expectations.js';
import { addErrors, emptyErrors } from './task.js';
import type { WorkersResult } from './workers.js';

/** The workers' final messages merged (HDR merge, sums) into one LoadReport. */
export interface ReportInput {
  options: LoadOptions;
  executor: ExecutorName;
  targetName: string;
  pattern: string;
  startedAt: Date;
  durationUs: number;
  workers: number;
  targetRate: number | undefined;
  result: WorkersResult;
  /** Extra histograms (attribution) and the fault timeline. */
  histograms?: HistogramSet;
  timeline?: LoadReport['timeline'];
  attribution?: LoadReport['attribution'];
}

export function buildReport(input: ReportInput): LoadReport {
  const histograms = input.histograms ?? new HistogramSet();
  const merged = new HistogramSet().mergeEncoded(input.result.done.flatMap((d) => d.histograms));
  const errors = emptyErrors();
  const eras: Record<string, number> = {};
  let scheduled = 0;
  let sent = 0;
  let completed = 0;
  let dropped = 0;
  for (const d of input.result.done) {
    scheduled += d.scheduled;
    sent += d.sent;
    completed += d.completed;
    dropped += d.dropped;
    addErrors(errors, d.errors);
    for (const [k, v] of Object.entries(d.eras)) eras[k] = (eras[k] ?? 0) + v;
  }
  const seconds = input.durationUs / 1e6;
  const { fleetAt: _fleetAt, ...options } = input.options;
  return {
    kind: 'load',
    version: 1,
    target: input.targetName,
    pattern: input.pattern,
    executor: input.executor,
    options,
    ...(input.options.shard ? { shard: input.options.shard } : {}),
    shardsMerged: 1,
    workers: input.workers,
    startedAt: input.startedAt.toISOString(),
    durationUs: Math.round(input.durationUs),
    scheduled,
    sent,
    completed,
    dropped,
    errors,
    achievedRate: seconds > 0 ? completed / seconds : 0,
    ...(input.targetRate !== undefined ? { targetRate: input.targetRate } : {}),
    histograms: [...merged.encode(), ...withCalibrationError(histograms, input.attribution)],
    seconds: input.result.seconds,
    timeline: input.timeline ?? [],
    ...(input.attribution ? { attribution: input.attribution } : {}),
    thresholds: [],
    eras,
    expectations: mergeExpectationCounts(input.result.done.map((d) => d.expectations)),
  };
}

/** Overhead entries carry the calibration's spread as their ± (errorUs), as run reports do. */
function withCalibrationError(set: HistogramSet, attribution: LoadReport['attribution']): HistogramSummary[] {
  return set
    .encode()
    .map((h) => (h.signed && attribution ? { ...h, errorUs: attribution.harnessCostSpreadUs } : h));
}

import { readFile } from 'node:fs/promises';
import { HarnessError, type Problem } from '../errors.js';
import { HistogramSet } from '../measure/histogram-set.js';
import { parseLoadReport } from '../report/load-json.js';
import type { HistogramSummary } from '../schema/histogram.js';
import type { ErrorCounts, LoadReport, LoadSecond } from '../schema/load.js';
import { mergeExpectationCounts } from './expectations.js';
import { withThresholds } from './thresholds.js';

/**
 * Combine the reports of one load test split into shards (`--shard i/n`) into
 * one report, as if one generator had made all the requests:
 * - histograms: HDR merge of the encodings, so every percentile equals the
 *   one a single histogram of all the values would give;
 * - counters and errors (kind and detail) summed; rates summed (the shards
 *   run at the same time);
 * - per-second series aligned on the wall clock (each shard's second 0 is its
 *   own start) and summed; a second's p50/p99 is the largest of the shards'
 *   (their histograms are not kept per second: an upper bound);
 * - thresholds evaluated again on the merged data; `shardsMerged` counts the shards.
 * Reports of different targets, executors or the same shard twice are refused,
 * every problem listed.
 */
export function mergeLoadReports(reports: readonly LoadReport[], labels: readonly string[] = []): LoadReport {
  const first = reports[0];
  if (!first)
    throw new HarnessError('INVALID_ARGS', 'nothing to merge', {
      problems: [{ path: '(arguments)', message: 'expected at least one load report' }],
    });
  const problems = mergeProblems(reports, labels);
  if (problems.length > 0)
    throw new HarnessError('INVALID_CONFIG', 'these load reports cannot be merged', { problems });
  const starts = reports.map((r) => Date.parse(r.startedAt));
  const t0 = Math.min(...starts);
  const offsetsUs = starts.map((s) => (s - t0) * 1000);
  const endUs = Math.max(...reports.map((r, i) => (offsetsUs[i] ?? 0) + r.durationUs));
  const options = wholeRunOptions(reports.map((r) => r.options));
  const merged: LoadReport = {
    ...first,
    options,
    shard: undefined,
    shardsMerged: sum(reports, (r) => r.shardsMerged),
    startedAt: new Date(t0).toISOString(),
    durationUs: Math.round(endUs),
    scheduled: sum(reports, (r) => r.scheduled),
    sent: sum(reports, (r) => r.sent),
    completed: sum(reports, (r) => r.completed),
    dropped: sum(reports, (r) => r.dropped),
    errors: mergeErrors(reports.map((r) => r.errors)),
    achievedRate: sum(reports, (r) => r.achievedRate),
    targetRate: reports.every((r) => r.targetRate === undefined)
      ? undefined
      : sum(reports, (r) => r.targetRate ?? 0),
    histograms: mergeHistograms(reports.map((r) => r.histograms)),
    seconds: mergeSeconds(
      reports.map((r, i) => ({ seconds: r.seconds, offsetS: Math.round((offsetsUs[i] ?? 0) / 1e6) })),
    ),
    timeline: reports
      .flatMap((r, i) => r.timeline.map((t) => ({ ...t, atUs: t.atUs + Math.round(offsetsUs[i] ?? 0) })))
      .sort((a, b) => a.atUs - b.atUs),
    eras: mergeCounts(reports.map((r) => r.eras)),
    expectations: mergeExpectationCounts(reports.map((r) => r.expectations)),
    thresholds: [],
  };
  delete merged.shard;
  if (merged.targetRate === undefined) delete merged.targetRate;
  return withThresholds(merged);
}

/** Options the shards split, summed back to the whole run's (a shard's rate is its part). */
const SPLIT_OPTIONS = ['rate', 'connections', 'sessions', 'maxInFlight'] as const;

/** The options of the whole run: the first shard's, with the split ones summed and no `shard`. */
function wholeRunOptions(list: readonly Record<string, unknown>[]): Record<string, unknown> {
  const { shard: _shard, ...options } = list[0] ?? {};
  for (const key of SPLIT_OPTIONS) {
    const values = list.map((o) => o[key]);
    if (values.every((v) => typeof v === 'number')) options[key] = sum(values as number[], (v) => v);
  }
  const stages = list.map((o) => o.stages);
  if (stages.every((s) => Array.isArray(s))) {
    options.stages = (stages[0] as { durationMs: number; target: number }[]).map((st, i) => ({
      ...st,
      target: sum(stages as { target: number }[][], (s) => s[i]?.target ?? 0),
    }));
  }
  return options;
}

/** Why these reports are not shards of one run: each problem names the report. */
function mergeProblems(reports: readonly LoadReport[], labels: readonly string[]): Problem[] {
  const first = reports[0] as LoadReport;
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  reports.forEach((r, i) => {
    const path = labels[i] ?? `reports[${i}]`;
    for (const key of ['target', 'executor'] as const) {
      if (r[key] !== first[key]) {
        problems.push({
          path,
          message: `${key} '${r[key]}' differs from the first report's '${first[key]}'`,
        });
      }
    }
    if (r.shard && first.shard && r.shard.count !== first.shard.count) {
      problems.push({
        path,
        message: `shard ${r.shard.index}/${r.shard.count} is not of the same ${first.shard.count}-way split`,
      });
    }
    if (r.shard) {
      const key = `${r.shard.index}/${r.shard.count}`;
      const other = seen.get(key);
      if (other !== undefined) problems.push({ path, message: `shard ${key} is also in ${other}` });
      else seen.set(key, path);
    }
  });
  return problems;
}

/** HDR merge of every shard's histograms; a `±` (errorUs) is the largest of the shards'. */
export function mergeHistograms(shards: readonly (readonly HistogramSummary[])[]): HistogramSummary[] {
  const set = new HistogramSet();
  const errorUs = new Map<string, number>();
  for (const histograms of shards) {
    set.mergeEncoded(histograms);
    for (const h of histograms) {
      if (h.errorUs === undefined) continue;
      const key = keyOf(h);
      errorUs.set(key, Math.max(errorUs.get(key) ?? 0, h.errorUs));
    }
  }
  return set.encode().map((h) => {
    const e = errorUs.get(keyOf(h));
    return e === undefined ? h : { ...h, errorUs: e };
  });
}

function keyOf(h: Pick<HistogramSummary, 'metric' | 'tags'>): string {
  const tags = Object.keys(h.tags)
    .sort()
    .map((k) => `${k}=${h.tags[k]}`);
  return `${h.metric}{${tags.join(',')}}`;
}

export function mergeErrors(list: readonly ErrorCounts[]): ErrorCounts {
  return {
    isError: sum(list, (e) => e.isError),
    jsonrpc: sum(list, (e) => e.jsonrpc),
    http: sum(list, (e) => e.http),
    timeout: sum(list, (e) => e.timeout),
    transport: sum(list, (e) => e.transport),
    detail: mergeCounts(list.map((e) => e.detail)),
  };
}

function mergeSeconds(shards: readonly { seconds: readonly LoadSecond[]; offsetS: number }[]): LoadSecond[] {
  const bySecond = new Map<number, LoadSecond[]>();
  for (const { seconds, offsetS } of shards) {
    for (const s of seconds) {
      const at = s.second + offsetS;
      bySecond.set(at, [...(bySecond.get(at) ?? []), s]);
    }
  }
  return [...bySecond.entries()]
    .sort(([a], [b]) => a - b)
    .map(([second, list]) => ({
      second,
      requests: sum(list, (s) => s.requests),
      ok: sum(list, (s) => s.ok),
      dropped: sum(list, (s) => s.dropped),
      errors: mergeErrors(list.map((s) => s.errors)),
      responseP50Us: Math.max(...list.map((s) => s.responseP50Us)),
      responseP99Us: Math.max(...list.map((s) => s.responseP99Us)),
    }));
}

function mergeCounts(list: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const counts of list) for (const [k, v] of Object.entries(counts)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}

/**
 * Read shard report files and merge them; every file that cannot be read or
 * is not a load report is listed (INVALID_CONFIG, exit 2) before merging.
 */
export async function mergeLoadReportFiles(paths: readonly string[]): Promise<LoadReport> {
  const problems: Problem[] = [];
  const reports: LoadReport[] = [];
  for (const path of paths) {
    try {
      reports.push(parseLoadReport(await readFile(path, 'utf8'), path));
    } catch (e) {
      if (e instanceof HarnessError) problems.push(...e.problems);
      else
        problems.push({
          path,
          message: `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        });
    }
  }
  if (problems.length > 0)
    throw new HarnessError('INVALID_CONFIG', 'cannot merge these load reports', { problems });
  return mergeLoadReports(reports, paths);
}

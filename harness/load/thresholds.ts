import { HarnessError, type Problem } from '../errors.js';
import type { LatencyHistogram } from '../measure/histogram.js';
import { HistogramSet, tagsMatch } from '../measure/histogram-set.js';
import { evaluateThreshold, type ThresholdData } from '../measure/threshold.js';
import type { LoadReport } from '../schema/load.js';
import { type MetricKind, parseThreshold, type Threshold } from '../schema/threshold.js';
import { errorTotal } from './task.js';

/**
 * `--threshold` on a load test: `[selector:]expression`, e.g. `p(99)<50ms`,
 * `service_time:p(99.9)<200ms`, `response_time{step:fetch}:p(95)<80ms`,
 * `errors:rate<0.01`, `expectations{step:fetch}:rate==0`, `dropped:count==0`. Without a selector the expression
 * applies to the response time. Short names stand for the report's metrics.
 */
export const LOAD_METRIC_ALIASES: Readonly<Record<string, string>> = {
  response_time: 'mcp_harness_load_response_time',
  service_time: 'mcp_harness_load_service_time',
};
export const DEFAULT_LOAD_METRIC = 'response_time';

/** Metrics a load report carries besides its histograms. */
const LOAD_KINDS: Readonly<Record<string, MetricKind>> = {
  errors: 'rate',
  expectations: 'rate',
  dropped: 'counter',
  iterations: 'counter',
};

/** Split `selector:expression` at the first `:` outside braces (a selector's tags use `:` too). */
function splitThreshold(text: string): { selector: string; expression: string } {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    else if (ch === ':' && depth === 0)
      return { selector: text.slice(0, i).trim(), expression: text.slice(i + 1) };
  }
  return { selector: DEFAULT_LOAD_METRIC, expression: text };
}

/** Parse one `--threshold`; throws (ThresholdParseError or Error) with what was expected. */
export function parseLoadThreshold(text: string): Threshold {
  const { selector, expression } = splitThreshold(text);
  return parseThreshold(selector, expression, LOAD_KINDS);
}

/** Every threshold that does not parse, as problems at `path[i]`. */
export function loadThresholdProblems(texts: readonly string[], path = '--threshold'): Problem[] {
  const problems: Problem[] = [];
  texts.forEach((text, i) => {
    try {
      parseLoadThreshold(text);
    } catch (e) {
      problems.push({ path: `${path}[${i}]`, message: (e as Error).message });
    }
  });
  return problems;
}

/** Parse every threshold, or throw INVALID_ARGS listing each bad one. */
export function compileLoadThresholds(texts: readonly string[]): Threshold[] {
  const problems = loadThresholdProblems(texts);
  if (problems.length > 0) throw new HarnessError('INVALID_ARGS', 'invalid --threshold', { problems });
  return texts.map(parseLoadThreshold);
}

/**
 * What a selector reads in a report: histograms from their HDR encoding (so
 * p(N) is exact for any N, also on merged shards); the entry whose tags equal
 * the selector's when there is one, else every entry whose tags include them.
 */
export function loadLookup(
  report: LoadReport,
): (metric: string, tags: Record<string, string>) => ThresholdData | undefined {
  const set = new HistogramSet().mergeEncoded(report.histograms);
  const errors = totalErrors(report);
  return (metric, tags) => {
    if (metric === 'errors') return { passes: errors, fails: Math.max(0, report.completed - errors) };
    if (metric === 'expectations') return expectationRate(report, tags);
    if (metric === 'dropped') return report.dropped;
    if (metric === 'iterations') return report.completed;
    const name = LOAD_METRIC_ALIASES[metric] ?? metric;
    const exact = set.entries().find((e) => e.metric === name && sameTags(e.tags, tags));
    return (exact?.histogram as LatencyHistogram | undefined) ?? set.select(name, tags);
  };
}

/** The fraction of step expectations that failed, over those matching the tags (`step`, `expectation`). */
function expectationRate(report: LoadReport, tags: Record<string, string>): ThresholdData {
  let passes = 0;
  let fails = 0;
  for (const e of report.expectations) {
    if (tags.step !== undefined && tags.step !== e.step) continue;
    if (tags.expectation !== undefined && tags.expectation !== e.expectation) continue;
    passes += e.failed;
    fails += e.passed;
  }
  return { passes, fails };
}

/** Errors of every kind (the `detail` breakdown is not added again). */
export function totalErrors(report: Pick<LoadReport, 'errors'>): number {
  return errorTotal(report.errors);
}

function sameTags(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.keys(a).length === Object.keys(b).length && tagsMatch(a, b);
}

/** Evaluate `texts` (default: the thresholds the run was given) against the report. */
export function evaluateLoadThresholds(
  report: LoadReport,
  texts: readonly string[] = thresholdsOf(report),
): LoadReport['thresholds'] {
  const lookup = loadLookup(report);
  return texts.map((text) => {
    let t: Threshold;
    try {
      t = parseLoadThreshold(text);
    } catch (e) {
      return { expression: text, pass: false, observed: null, error: (e as Error).message };
    }
    const r = evaluateThreshold(t, lookup(t.selector.metric, t.selector.tags));
    return {
      expression: text,
      pass: r.pass,
      observed: r.observed?.formatted ?? null,
      ...(r.error !== undefined && { error: r.error }),
    };
  });
}

/** The report with its thresholds evaluated (a new object; the input is left as it was). */
export function withThresholds(report: LoadReport, texts?: readonly string[]): LoadReport {
  return { ...report, thresholds: evaluateLoadThresholds(report, texts) };
}

/** The thresholds recorded in a report's options. */
export function thresholdsOf(report: LoadReport): string[] {
  const t = report.options.thresholds;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
}

/** 1 when a threshold failed, else 0 (exit codes as DESIGN.md). */
export function loadExitCode(report: LoadReport): 0 | 1 {
  return report.thresholds.some((t) => !t.pass) ? 1 : 0;
}

import type { LoadReport } from '../schema/load.js';
import { cdata, rootBuilder, xmlSafe } from './junit.js';
import type { LoadReporter } from './load-reporter.js';
import { formatErrorKinds, formatErrorTotal, formatRatePerSecond } from './load-rows.js';

/**
 * JUnit XML for CI: one testsuite `load`, one testcase per threshold (a failed
 * or unevaluable threshold is a failure naming what was observed). A run
 * without thresholds has one passing testcase carrying the summary, so CI
 * always sees the run.
 */
export const loadJunitReporter: LoadReporter = {
  name: 'junit',
  fileName: 'load-junit.xml',
  render(report: LoadReport): string {
    const builder = rootBuilder().newBuilder().name('mcp-harness load');
    const suite = builder
      .testSuite()
      .name(xmlSafe(`load ${report.target}`))
      .time(report.durationUs / 1e6);
    const summary = [
      `${report.executor}: ${report.completed} iterations, ${formatRatePerSecond(report.achievedRate)}`,
      `scheduled ${report.scheduled}, sent ${report.sent}, dropped ${report.dropped}`,
      `errors ${formatErrorTotal(report)}: ${formatErrorKinds(report.errors)}`,
    ].join('\n');
    suite.property('executor', report.executor).property('shardsMerged', String(report.shardsMerged));
    if (report.thresholds.length === 0) {
      suite
        .testCase()
        .className('mcp-harness.load')
        .name('load run (no thresholds)')
        .standardOutput(cdata(summary));
    }
    for (const t of report.thresholds) {
      const tc = suite
        .testCase()
        .className('mcp-harness.load.threshold')
        .name(xmlSafe(t.expression))
        .standardOutput(cdata(`observed ${t.observed ?? '—'}\n${summary}`));
      if (!t.pass) {
        const why = t.error ?? `observed ${t.observed ?? '—'}`;
        tc.failure(xmlSafe(`${t.expression} failed: ${why}`), 'threshold');
      }
    }
    return builder.build();
  },
};

import type { CompareResult } from '../compare/schema.js';
import type { RunReport } from '../schema/result.js';
import { formatDuration } from './format.js';
import type { Chart } from './html-chart.js';
import { checksSection } from './html-checks.js';
import { compareSection } from './html-compare.js';
import { renderPage } from './html-page.js';
import { scenarioSection } from './html-run.js';
import type { Reporter } from './reporter.js';

/**
 * `--format html`: one self-contained report.html with charts (uPlot,
 * inlined), for a run (scenarios), a check run (results with filters) and a
 * comparison. Sections: html-run.ts, html-checks.ts, html-compare.ts; the
 * page: html-page.ts.
 */
export const htmlReporter: Reporter = {
  name: 'html',
  fileName: 'report.html',
  render: (report: RunReport) => renderRunHtml(report),
};

export function renderRunHtml(report: RunReport): string {
  const charts: Chart[] = [];
  const s = report.summary;
  const kind = report.checks.length > 0 && report.scenarios.length === 0 ? 'check' : 'run';
  const body = [
    `<p id="summary"><strong>${s.passed} passed</strong>, ${s.failed} failed, ${s.warned} warned, ${s.skipped} skipped, ${s.blocked} blocked · exit ${report.exitCode}</p>`,
    ...report.scenarios.map((sc, i) => scenarioSection(sc, i, charts)),
    checksSection(report.checks, charts),
  ].join('\n');
  return renderPage({
    title: `mcp-harness ${kind} report`,
    subtitle: `${report.startedAt} · ${formatDuration(report.durationMs * 1000)} · mcp-harness ${report.version}`,
    body,
    charts,
  });
}

export function renderCompareHtml(result: CompareResult): string {
  const charts: Chart[] = [];
  const body = compareSection(result, charts);
  return renderPage({
    title: `mcp-harness compare: ${result.name}`,
    subtitle: `${result.startedAt} · ${formatDuration(result.durationMs * 1000)}`,
    body,
    charts,
  });
}

import type { LoadReport } from '../schema/load.js';
import { escapeControl, truncate } from './format.js';
import type { LoadReporter } from './load-reporter.js';
import {
  describeRun,
  expectationRows,
  formatErrorKinds,
  formatErrorTotal,
  formatRatePerSecond,
  LOAD_COLUMNS,
  loadRows,
} from './load-rows.js';

/** A GitHub-flavoured Markdown summary of a load test (PR comments, the Actions job summary). */
export const loadMarkdownReporter: LoadReporter = {
  name: 'md',
  fileName: 'load-summary.md',
  render: renderLoadMarkdown,
};

/** Table-cell-safe text: no pipes, no newlines, no control characters, bounded. */
function esc(text: string): string {
  return truncate(escapeControl(text).replace(/\r?\n/g, ' ').replaceAll('|', '\\|'), 200);
}

export function renderLoadMarkdown(report: LoadReport): string {
  const failed = report.thresholds.filter((t) => !t.pass).length;
  const ok = failed === 0;
  const out: string[] = [];
  out.push(
    `## ${ok ? '✅' : '❌'} mcp-harness load: ${ok ? 'passed' : `${failed} threshold${failed === 1 ? '' : 's'} failed`}`,
  );
  out.push('', esc(describeRun(report)), '');
  const target = report.targetRate === undefined ? '' : ` (target ${formatRatePerSecond(report.targetRate)})`;
  out.push(
    `**${report.completed} iterations · ${formatRatePerSecond(report.achievedRate)}${target}** · ` +
      `scheduled ${report.scheduled} · sent ${report.sent} · dropped ${report.dropped} · ` +
      `errors ${formatErrorTotal(report)}`,
  );
  out.push('', `Errors by kind: ${esc(formatErrorKinds(report.errors))}`);
  const rows = loadRows(report);
  if (rows.length > 0) {
    out.push(
      '',
      `| | ${LOAD_COLUMNS.join(' | ')} | count |`,
      `|---|${LOAD_COLUMNS.map(() => '---:').join('|')}|---:|`,
    );
    for (const row of rows) out.push(`| ${esc(row.label)} | ${row.cells.join(' | ')} | ${row.count} |`);
  }
  const expectations = expectationRows(report);
  if (expectations.length > 0) {
    out.push('', '| step › expectation | failed |', '|---|---:|');
    for (const e of expectations) out.push(`| ${esc(e.label)} | ${esc(e.text)} |`);
  }
  if (report.timeline.length > 0) {
    out.push('', '| at | action | server | recovered after |', '|---:|---|---|---:|');
    for (const t of report.timeline) {
      const recovered =
        t.recoveredAfterUs === null ? 'not recovered' : `${(t.recoveredAfterUs / 1e6).toFixed(2)} s`;
      out.push(`| ${(t.atUs / 1e6).toFixed(2)} s | ${esc(t.action)} | ${esc(t.server)} | ${recovered} |`);
    }
  }
  if (report.thresholds.length > 0) {
    out.push('', '| threshold | observed | |', '|---|---|---|');
    for (const t of report.thresholds) {
      out.push(`| \`${esc(t.expression)}\` | ${esc(t.error ?? t.observed ?? '—')} | ${t.pass ? '✓' : '✗'} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

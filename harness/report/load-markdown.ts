import type { LoadReport } from '../schema/load.js';
import { escapeControl, plural, truncate } from './format.js';
import type { LoadReporter } from './load-reporter.js';
import { LOAD_COLUMNS, summarizeLoad } from './load-rows.js';

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
  const s = summarizeLoad(report);
  const out: string[] = [];
  out.push(
    `## ${s.failed === 0 ? '✅' : '❌'} mcp-harness load: ${s.failed === 0 ? 'passed' : `${plural(s.failed, 'threshold')} failed`}`,
  );
  out.push('', esc(s.run), '');
  const target = s.targetRate === undefined ? '' : ` (target ${s.targetRate})`;
  out.push(
    `**${report.completed} iterations · ${s.achievedRate}${target}** · ` +
      `scheduled ${report.scheduled} · sent ${report.sent} · dropped ${report.dropped} · ` +
      `errors ${s.errorTotal}`,
  );
  out.push('', `Errors by kind: ${esc(s.errorKinds)}`);
  if (s.rows.length > 0) {
    out.push(
      '',
      `| | ${LOAD_COLUMNS.join(' | ')} | count |`,
      `|---|${LOAD_COLUMNS.map(() => '---:').join('|')}|---:|`,
    );
    for (const row of s.rows) out.push(`| ${esc(row.label)} | ${row.cells.join(' | ')} | ${row.count} |`);
  }
  if (s.expectations.length > 0) {
    out.push('', '| step › expectation | failed |', '|---|---:|');
    for (const e of s.expectations) out.push(`| ${esc(e.label)} | ${esc(e.text)} |`);
  }
  if (s.timeline.length > 0) {
    out.push('', '| at | action | server | recovered after |', '|---:|---|---|---:|');
    for (const t of s.timeline) {
      const recovered = t.recoveredAfter ?? 'not recovered';
      out.push(`| ${t.at} | ${esc(t.action)} | ${esc(t.server)} | ${recovered} |`);
    }
  }
  if (s.thresholds.length > 0) {
    out.push('', '| threshold | observed | |', '|---|---|---|');
    for (const t of s.thresholds) {
      out.push(`| \`${esc(t.expression)}\` | ${esc(t.error ?? t.observed)} | ${t.pass ? '✓' : '✗'} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

import { type CheckResult, checkVerdict } from '../schema/result.js';
import { formatMs } from './format.js';
import { barsChart, type Chart } from './html-chart.js';
import { escapeHtml } from './html-escape.js';
import { chartSlot } from './html-page.js';

/**
 * The check results: a table with filters by suite and status (expected vs
 * observed for each), and a chart of the verdicts per suite.
 */
const VERDICTS = ['pass', 'fail', 'warn', 'skip', 'blocked', 'expected-fail', 'stale'] as const;
const COLORS: Record<(typeof VERDICTS)[number], string> = {
  pass: '#2da44e',
  fail: '#cf222e',
  warn: '#d4a72c',
  skip: '#8c959f',
  blocked: '#8250df',
  'expected-fail': '#bf8700',
  stale: '#fb8500',
};

export function checksSection(checks: readonly CheckResult[], charts: Chart[]): string {
  if (checks.length === 0) return '';
  const suites = [...new Set(checks.map((c) => c.suite))];
  const present = VERDICTS.filter((v) => checks.some((c) => checkVerdict(c) === v));
  const chart = barsChart(
    'checks-verdicts',
    'check verdicts per suite',
    'checks',
    suites,
    present.map((v) => ({
      label: v,
      color: COLORS[v],
      values: suites.map((s) => checks.filter((c) => c.suite === s && checkVerdict(c) === v).length),
    })),
    true,
  );
  charts.push(chart);
  const option = (v: string) => `<option value="${escapeHtml(v)}">${escapeHtml(v)}</option>`;
  const rows = checks
    .map((c) => {
      const v = checkVerdict(c);
      return `<tr data-suite="${escapeHtml(c.suite)}" data-status="${escapeHtml(v)}"><td class="status-${escapeHtml(c.status)}">${escapeHtml(v)}</td><td><code>${escapeHtml(c.id)}</code><div class="muted">${escapeHtml(c.title)}</div></td><td>${escapeHtml(c.expected)}</td><td>${escapeHtml(c.observed)}${c.reason ? `<div class="muted">${escapeHtml(c.reason)}</div>` : ''}</td><td class="num">${escapeHtml(formatMs(c.durationMs))}</td><td class="muted">${escapeHtml(c.specRef)}</td></tr>`;
    })
    .join('\n');
  return `<section id="checks">
<h2>checks</h2>
<div class="filters">
<label>suite <select id="filter-suite"><option value="">all</option>${suites.map(option).join('')}</select></label>
<label>status <select id="filter-status"><option value="">all</option>${present.map(option).join('')}</select></label>
<span id="filter-count" class="muted"></span>
</div>
<table><thead><tr><th>status</th><th>check</th><th>expected</th><th>observed</th><th class="num">time</th><th>spec</th></tr></thead>
<tbody>${rows}</tbody></table>
<div class="charts">${chartSlot(chart)}</div>
</section>`;
}

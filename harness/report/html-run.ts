import type { ScenarioResult } from '../schema/result.js';
import { formatDuration } from './format.js';
import { barsChart, type Chart, distributionChart, ms, percentileChart } from './html-chart.js';
import { escapeHtml } from './html-escape.js';
import { chartSlot } from './html-page.js';

/**
 * One scenario of a run: its steps (end-to-end, downstream, overhead, the
 * expectations expected vs observed), the latency percentile curve and
 * distribution of each step, and per step the downstream/overhead split.
 */
export function scenarioSection(s: ScenarioResult, index: number, charts: Chart[]): string {
  const id = `scenario-${index}`;
  const steps = s.histograms.filter((h) => h.metric === 'step_duration' && h.count > 0);
  // A signed histogram (overhead) keeps its values below 0 in hdrNegative.
  const series = steps.map((h) => ({
    label: h.tags.step ?? h.metric,
    hdr: h.hdr,
    hdrNegative: h.hdrNegative,
  }));
  const own: Chart[] = [];
  if (series.length > 0) {
    own.push(percentileChart(`${id}-pct`, `${s.scenario}: step latency by percentile`, series));
    own.push(distributionChart(`${id}-dist`, `${s.scenario}: step latency distribution`, series));
  }
  const calls = s.steps.filter((r) => r.kind === 'call');
  const names = [...new Set(calls.map((c) => c.name.replace(/\[\d+\]$/, '')))];
  const mean = (name: string, pick: (r: (typeof calls)[number]) => number | undefined) => {
    const vals = calls
      .filter((c) => c.name.replace(/\[\d+\]$/, '') === name)
      .map(pick)
      .filter((v) => v !== undefined);
    return vals.length ? ms(vals.reduce((a, b) => a + b, 0) / vals.length) : null;
  };
  if (names.length > 0 && calls.some((c) => c.downstreamUs !== undefined)) {
    own.push(
      barsChart(
        `${id}-split`,
        `${s.scenario}: downstream and overhead per step (mean ms)`,
        'ms',
        names,
        [
          { label: 'downstream', values: names.map((n) => mean(n, (c) => c.downstreamUs)) },
          { label: 'overhead', values: names.map((n) => mean(n, (c) => c.overheadUs)) },
        ],
        true,
      ),
    );
  }
  charts.push(...own);
  const rows = s.steps
    .map((r) => {
      const exp = r.expectations
        .map(
          (e) =>
            `<div class="status-${e.status}">${e.status === 'pass' ? '✓' : '✗'} ${escapeHtml(e.expectation)}: expected <code>${escapeHtml(e.expected)}</code>, observed <code>${escapeHtml(e.observed)}</code></div>`,
        )
        .join('');
      const d = (v: number | undefined) => (v === undefined ? '—' : escapeHtml(formatDuration(v)));
      return `<tr><td class="status-${r.status}">${escapeHtml(r.status)}</td><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.tool ?? r.kind)}</td><td>${escapeHtml(r.outcome ?? '')}</td><td class="num">${d(r.durationUs)}</td><td class="num">${d(r.downstreamUs)}</td><td class="num">${d(r.overheadUs)}</td><td>${escapeHtml(r.reason ?? '')}${exp}</td></tr>`;
    })
    .join('\n');
  const thresholds = s.thresholds
    .map(
      (t) =>
        `<tr><td class="status-${t.pass ? 'pass' : 'fail'}">${t.pass ? 'pass' : 'fail'}</td><td>${escapeHtml(t.metric)} ${escapeHtml(t.expression)}</td><td>${escapeHtml(t.observed)}</td></tr>`,
    )
    .join('');
  return `<section id="${id}">
<h2><span class="status-${s.status}">${escapeHtml(s.status)}</span> scenario ${escapeHtml(s.scenario)}</h2>
<p class="muted">target ${escapeHtml(s.target)} · pattern ${escapeHtml(s.pattern)} · ${escapeHtml(formatDuration(s.durationMs * 1000))}${s.error ? ` · <span class="status-fail">${escapeHtml(s.error.message)}</span>` : ''}</p>
<table><thead><tr><th>status</th><th>step</th><th>tool</th><th>outcome</th><th class="num">end-to-end</th><th class="num">downstream</th><th class="num">overhead</th><th>expected vs observed</th></tr></thead>
<tbody>${rows}</tbody></table>
${thresholds ? `<table><thead><tr><th>threshold</th><th>expression</th><th>observed</th></tr></thead><tbody>${thresholds}</tbody></table>` : ''}
<div class="charts">${own.map(chartSlot).join('')}</div>
</section>`;
}

import type { CompareResult } from '../compare/schema.js';
import { WORKFLOW_UNIT } from '../compare/stats.js';
import { compareRows } from '../compare/table.js';
import { barsChart, type Chart, distributionChart, ms, percentileChart } from './html-chart.js';
import { escapeHtml } from './html-escape.js';
import { chartSlot } from './html-page.js';

/**
 * A comparison: the side-by-side table, then charts across patterns —
 * workflow latency by percentile and its distribution, downstream and
 * overhead of the workflow (p50, stacked), round trips (client vs mocks),
 * the catalogue's token cost, and each unit's latency by percentile.
 */
export function compareSection(result: CompareResult, charts: Chart[]): string {
  const ok = result.patterns.filter((p) => p.workflows > 0);
  const hdrOf = (p: (typeof ok)[number], unit: string) =>
    p.histograms.find((h) => h.tags.unit === unit && h.count > 0)?.hdr;
  const wf = ok.flatMap((p) => {
    const hdr = hdrOf(p, WORKFLOW_UNIT);
    return hdr ? [{ label: p.target, hdr }] : [];
  });
  const labels = result.patterns.map((p) => p.target);
  const own: Chart[] = [];
  if (wf.length > 0) {
    own.push(percentileChart('compare-workflow-pct', 'workflow latency by percentile', wf));
    own.push(distributionChart('compare-workflow-dist', 'workflow latency distribution', wf));
  }
  own.push(
    barsChart(
      'compare-split',
      'workflow downstream and overhead (p50, ms)',
      'ms',
      labels,
      [
        {
          label: 'downstream',
          values: result.patterns.map((p) => (p.workflows ? ms(p.workflow.downstream.p50) : null)),
        },
        {
          label: 'overhead',
          values: result.patterns.map((p) => (p.workflows ? ms(p.workflow.overhead.p50) : null)),
        },
      ],
      true,
    ),
    barsChart('compare-round-trips', 'requests per workflow', 'requests', labels, [
      { label: 'sent by the client', values: result.patterns.map((p) => p.roundTrips.client) },
      { label: 'received by the mocks', values: result.patterns.map((p) => p.roundTrips.downstream) },
    ]),
    barsChart('compare-catalogue', `tool catalogue cost (tokens)`, 'tokens', labels, [
      { label: 'tokens', values: result.patterns.map((p) => p.catalogue.tokens) },
    ]),
  );
  const units = [...new Set(ok.flatMap((p) => p.units.map((u) => u.name)))];
  units.forEach((unit, i) => {
    const series = ok.flatMap((p) => {
      const hdr = hdrOf(p, unit);
      return hdr ? [{ label: p.target, hdr }] : [];
    });
    if (series.length > 0)
      own.push(percentileChart(`compare-unit-${i}`, `${unit}: latency by percentile`, series));
  });
  charts.push(...own);
  const [head, ...rows] = compareRows(result);
  const th = (head ?? []).map((h, i) => `<th${i ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => (i ? `<td class="num">${escapeHtml(c)}</td>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`,
    )
    .join('\n');
  const errors = result.patterns
    .filter((p) => p.error)
    .map((p) => `<p class="status-fail">${escapeHtml(p.target)}: <code>${escapeHtml(p.error)}</code></p>`)
    .join('');
  const faults = result.patterns
    .flatMap((p) => p.faults.map((f) => ({ p, f })))
    .flatMap(({ p, f }) =>
      f.steps.map(
        (s) =>
          `<tr><td>${escapeHtml(f.fault)}</td><td>${escapeHtml(p.target)}</td><td>${escapeHtml(s.step)}</td><td>${escapeHtml(s.servers.join(', '))}</td><td>${escapeHtml(s.outcome)}</td><td class="num">${escapeHtml((s.durationUs / 1000).toFixed(1))} ms</td><td>${escapeHtml(s.reason ?? '')}</td></tr>`,
      ),
    )
    .join('\n');
  return `<section id="compare">
<h2><span class="status-${result.status}">${escapeHtml(result.status)}</span> compare ${escapeHtml(result.name)}</h2>
<p class="muted">${result.iterations} interleaved rounds · fleet ${escapeHtml(result.fleet.map((f) => `${f.name} (${f.transport})`).join(', '))}</p>
${errors}
<table id="compare-table"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>
${faults ? `<h2>under faults</h2><table><thead><tr><th>fault</th><th>target</th><th>step</th><th>servers</th><th>client sees</th><th class="num">time</th><th>reason</th></tr></thead><tbody>${faults}</tbody></table>` : ''}
<div class="charts">${own.map(chartSlot).join('')}</div>
</section>`;
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Chart, ChartSchema } from './html-chart.js';
import { escapeHtml, scriptJson } from './html-escape.js';
import { PAGE_SCRIPT } from './html-script.js';

/**
 * One self-contained HTML file: the styles (light and dark by
 * prefers-color-scheme, a print layout), uPlot's CSS and JS read from
 * node_modules at report time and inlined, the chart data as JSON, and the
 * page's script. Nothing is fetched when the file is opened.
 */
export interface Page {
  title: string;
  subtitle: string;
  /** Already-escaped HTML of the sections. */
  body: string;
  charts: Chart[];
}

let assets: { js: string; css: string } | undefined;

function uplotAssets(): { js: string; css: string } {
  if (!assets) {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('uplot')), '');
    assets = {
      js: readFileSync(join(dir, 'uPlot.iife.min.js'), 'utf8'),
      css: readFileSync(join(dir, 'uPlot.min.css'), 'utf8'),
    };
  }
  return assets;
}

const STYLE = `
:root { --bg: #fff; --fg: #1f2328; --muted: #59636e; --grid: #d8dee4; --card: #f6f8fa;
  --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --skip: #59636e; color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --grid: #30363d; --card: #161b22;
    --pass: #3fb950; --fail: #f85149; --warn: #d29922; --skip: #9198a1; }
}
body { background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 1100px; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid var(--grid); }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--grid); padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
.status-pass { color: var(--pass); } .status-fail, .status-blocked { color: var(--fail); }
.status-warn { color: var(--warn); } .status-skip { color: var(--skip); }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
.chart { background: var(--card); border-radius: 6px; padding: .5rem; flex: 1 1 460px; min-width: 340px; }
.filters { display: flex; gap: 1rem; align-items: center; margin: .5rem 0; }
pre, code { white-space: pre-wrap; word-break: break-word; font-size: 12px; }
.uplot, .u-legend { color: var(--fg); }
@media print {
  :root { --bg: #fff; --fg: #000; --card: #fff; --grid: #bbb; }
  body { max-width: none; margin: 0; } .filters { display: none; } tr[hidden] { display: table-row; }
  .chart { break-inside: avoid; border: 1px solid #bbb; } h2 { break-after: avoid; }
}
`;

export function renderPage(page: Page): string {
  const { js, css } = uplotAssets();
  const charts = page.charts.map((c) => ChartSchema.parse(c));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${css}</style>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(page.title)}</h1><p class="muted">${escapeHtml(page.subtitle)}</p></header>
${page.body}
<script type="application/json" id="report-data">${scriptJson({ charts })}</script>
<script>${js.replace(/<\/script/gi, '<\\/script')}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** A chart's place in the page (drawn by the page's script). */
export function chartSlot(chart: Chart): string {
  return `<div class="chart" data-chart="${escapeHtml(chart.id)}" role="img" aria-label="${escapeHtml(chart.title)}"></div>`;
}

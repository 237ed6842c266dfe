/**
 * The page's own script (plain ES2017, no network): reads the embedded chart
 * data, draws each chart with uPlot (inlined before it), and wires the check
 * filters. Labels reach the page only through textContent and canvas text.
 */
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var fg, grid;
  var plots = [];
  var palette = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7'];
  function fmtPct(x) {
    var p = 100 * (1 - Math.pow(10, -x));
    return 'p' + (Math.round(p * 10) / 10);
  }
  function axis(label, values, splits) {
    var a = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, label: label };
    if (values) a.values = values;
    if (splits) a.splits = splits;
    return a;
  }
  function draw(chart, el) {
    var width = Math.max(320, Math.min(900, el.clientWidth || 600));
    var bars = chart.kind === 'bars' || chart.kind === 'distribution';
    var n = chart.series.length;
    var rows = chart.series.map(function (s) { return s.values; });
    if (chart.stacked) {
      // Running totals, positive parts upwards and negative parts (a signed overhead) downwards from 0.
      var up = chart.x.map(function () { return 0; });
      var down = chart.x.map(function () { return 0; });
      rows = rows.map(function (vals) {
        return vals.map(function (v, i) {
          if (v == null) return null;
          if (v >= 0) { up[i] += v; return up[i]; }
          down[i] += v;
          return down[i];
        });
      });
    }
    var order = chart.stacked ? rows.map(function (_, i) { return n - 1 - i; }) : rows.map(function (_, i) { return i; });
    var series = [{ label: chart.kind === 'percentiles' ? 'percentile' : 'x' }];
    var seriesData = [chart.x];
    order.forEach(function (i) {
      var color = chart.series[i].color || palette[i % palette.length];
      var s = { label: chart.series[i].label, stroke: color, width: 2 };
      if (bars) {
        // Two series side by side (left/right of the tick); more overlap, so callers stack them.
        var pair = chart.kind === 'bars' && !chart.stacked && n === 2;
        s.fill = color;
        s.paths = uPlot.paths.bars({ size: [pair ? 0.4 : 0.8, 80], align: pair ? (i === 0 ? -1 : 1) : 0, gap: 1 });
      } else {
        s.points = { show: true, size: 5 };
      }
      series.push(s);
      seriesData.push(rows[i]);
    });
    var xAxis;
    if (chart.kind === 'percentiles') xAxis = axis('percentile', function (u, splits) { return splits.map(fmtPct); }, function () { return chart.x; });
    else if (chart.kind === 'bars') xAxis = axis('', function (u, splits) { return splits.map(function (i) { return (chart.categories || [])[i] || ''; }); }, function () { return chart.x; });
    else if (chart.kind === 'distribution') xAxis = axis('ms');
    else xAxis = axis('s');
    var opts = {
      width: width,
      height: 260,
      title: chart.title,
      scales: {
        x: { time: false, range: chart.kind === 'bars' ? [-0.5, chart.x.length - 0.5] : undefined },
        // Bars start at 0 (or below it, for a negative overhead).
        y: bars ? { range: function (u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.05 : 1]; } } : {},
      },
      axes: [xAxis, axis(chart.yLabel)],
      series: series,
      legend: { show: true },
    };
    var u = new uPlot(opts, seriesData, el);
    plots.push(u);
    el.setAttribute('data-rendered', String(u.data[0].length));
  }
  // Canvas text takes the page's colours when drawn: draw again when they change (dark mode, print).
  function drawAll() {
    plots.forEach(function (u) { u.destroy(); });
    plots = [];
    var css = getComputedStyle(document.documentElement);
    fg = css.getPropertyValue('--fg').trim() || '#222';
    grid = css.getPropertyValue('--grid').trim() || '#ddd';
    (data.charts || []).forEach(function (chart) {
      var el = document.querySelector('[data-chart="' + chart.id + '"]');
      if (el) draw(chart, el);
    });
  }
  drawAll();
  var scheme = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)');
  if (scheme && scheme.addEventListener) scheme.addEventListener('change', drawAll);
  var printing = window.matchMedia && window.matchMedia('print');
  if (printing && printing.addEventListener) printing.addEventListener('change', drawAll);
  var suite = document.getElementById('filter-suite');
  var status = document.getElementById('filter-status');
  var shown = document.getElementById('filter-count');
  function filter() {
    var rows = document.querySelectorAll('tr[data-suite]');
    var n = 0;
    rows.forEach(function (r) {
      var ok = (!suite.value || r.getAttribute('data-suite') === suite.value) &&
        (!status.value || r.getAttribute('data-status') === status.value);
      r.hidden = !ok;
      if (ok) n++;
    });
    if (shown) shown.textContent = n + ' shown';
  }
  if (suite && status) {
    suite.addEventListener('change', filter);
    status.addEventListener('change', filter);
    filter();
  }
})();
`;

import type { LoadReport } from '../schema/load.js';
import { clean } from './console.js';
import { plural } from './format.js';
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
import type { RenderOptions } from './reporter.js';

/**
 * The k6-style end-of-test summary: throughput, scheduled/sent/completed,
 * dropped, errors by kind, a p50/p90/p99/p99.9/max table of response and
 * service time (and per-step / overhead histograms), the thresholds. The
 * last line is always `load: …` with the verdict.
 */
export const loadConsoleReporter: LoadReporter = { name: 'console', render: renderLoadConsole };

const LABEL_WIDTH = 32;
const CELL_WIDTH = 11;

function dots(label: string): string {
  return `${label} `.padEnd(LABEL_WIDTH, '.');
}

export function renderLoadConsole(report: LoadReport, options: RenderOptions = {}): string {
  const color = options.color ?? false;
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[39m` : text);
  const out: string[] = [];
  out.push(`  load  ${clean(describeRun(report), 200)}`, '');
  const target =
    report.targetRate === undefined ? '' : `  (target ${formatRatePerSecond(report.targetRate)})`;
  out.push(
    `  ${dots('iterations')}: ${report.completed}  ${formatRatePerSecond(report.achievedRate)}${target}`,
  );
  out.push(`  ${dots('scheduled / sent')}: ${report.scheduled} / ${report.sent}`);
  out.push(`  ${dots('dropped')}: ${report.dropped > 0 ? paint(33, String(report.dropped)) : '0'}`);
  out.push(`  ${dots('errors')}: ${formatErrorTotal(report)}`);
  out.push(`  ${dots('  by kind')}: ${clean(formatErrorKinds(report.errors), 300)}`);
  const eras = Object.entries(report.eras);
  if (eras.length > 0)
    out.push(`  ${dots('sessions by era')}: ${eras.map(([e, n]) => `${e} ${n}`).join(' · ')}`);
  const rows = loadRows(report);
  if (rows.length > 0) {
    out.push(
      '',
      `  ${''.padEnd(LABEL_WIDTH + 2)}${[...LOAD_COLUMNS, 'count'].map((c) => c.padEnd(CELL_WIDTH)).join('')}`.trimEnd(),
    );
    for (const row of rows) {
      const cells = [...row.cells, String(row.count)].map((c) => c.padEnd(CELL_WIDTH)).join('');
      out.push(`  ${dots(clean(row.label, LABEL_WIDTH - 2))}: ${cells}`.trimEnd());
    }
  }
  const expectations = expectationRows(report);
  if (expectations.length > 0) {
    out.push('', '  expectations');
    for (const e of expectations) {
      const text = e.text.startsWith('0 ') ? e.text : paint(31, e.text);
      out.push(`    ${`${clean(e.label, LABEL_WIDTH - 4)} `.padEnd(LABEL_WIDTH - 2, '.')}: ${text}`);
    }
  }
  if (report.timeline.length > 0) {
    out.push('', '  fault timeline');
    for (const t of report.timeline) {
      const recovered =
        t.recoveredAfterUs === null
          ? 'not recovered'
          : `recovered after ${(t.recoveredAfterUs / 1e6).toFixed(2)} s`;
      out.push(
        `    ${(t.atUs / 1e6).toFixed(2)} s  ${clean(t.action, 20)} ${clean(t.server, 40)}  ${recovered}`,
      );
    }
  }
  const failed = report.thresholds.filter((t) => !t.pass);
  if (report.thresholds.length > 0) {
    out.push('', '  thresholds');
    for (const t of report.thresholds) {
      const mark = t.pass ? paint(32, '✓') : paint(31, '✗');
      const observed = t.error ? t.error : `observed ${t.observed ?? '—'}`;
      out.push(`    ${mark} ${clean(t.expression, 80)}  ${clean(observed, 160)}`);
    }
  }
  out.push('');
  const verdict =
    report.thresholds.length === 0
      ? 'no thresholds'
      : failed.length === 0
        ? paint(32, `${plural(report.thresholds.length, 'threshold')} passed`)
        : paint(31, `${failed.length} of ${plural(report.thresholds.length, 'threshold')} failed`);
  out.push(`load: ${report.completed} iterations, ${formatRatePerSecond(report.achievedRate)}, ${verdict}`);
  return `${out.join('\n')}\n`;
}

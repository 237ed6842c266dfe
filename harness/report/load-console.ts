import type { LoadReport } from '../schema/load.js';
import { clean } from './console.js';
import { plural } from './format.js';
import type { LoadReporter } from './load-reporter.js';
import { LOAD_COLUMNS, summarizeLoad } from './load-rows.js';
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
  const s = summarizeLoad(report);
  const out: string[] = [];
  out.push(`  load  ${clean(s.run, 200)}`, '');
  const target = s.targetRate === undefined ? '' : `  (target ${s.targetRate})`;
  out.push(`  ${dots('iterations')}: ${report.completed}  ${s.achievedRate}${target}`);
  out.push(`  ${dots('scheduled / sent')}: ${report.scheduled} / ${report.sent}`);
  out.push(`  ${dots('dropped')}: ${report.dropped > 0 ? paint(33, String(report.dropped)) : '0'}`);
  out.push(`  ${dots('errors')}: ${s.errorTotal}`);
  out.push(`  ${dots('  by kind')}: ${clean(s.errorKinds, 300)}`);
  const eras = Object.entries(report.eras);
  if (eras.length > 0)
    out.push(`  ${dots('sessions by era')}: ${eras.map(([e, n]) => `${e} ${n}`).join(' · ')}`);
  if (s.rows.length > 0) {
    out.push(
      '',
      `  ${''.padEnd(LABEL_WIDTH + 2)}${[...LOAD_COLUMNS, 'count'].map((c) => c.padEnd(CELL_WIDTH)).join('')}`.trimEnd(),
    );
    for (const row of s.rows) {
      const cells = [...row.cells, String(row.count)].map((c) => c.padEnd(CELL_WIDTH)).join('');
      out.push(`  ${dots(clean(row.label, LABEL_WIDTH - 2))}: ${cells}`.trimEnd());
    }
  }
  if (s.expectations.length > 0) {
    out.push('', '  expectations');
    for (const e of s.expectations) {
      const text = e.text.startsWith('0 ') ? e.text : paint(31, e.text);
      out.push(`    ${`${clean(e.label, LABEL_WIDTH - 4)} `.padEnd(LABEL_WIDTH - 2, '.')}: ${text}`);
    }
  }
  if (s.timeline.length > 0) {
    out.push('', '  fault timeline');
    for (const t of s.timeline) {
      const recovered =
        t.recoveredAfter === undefined ? 'not recovered' : `recovered after ${t.recoveredAfter}`;
      out.push(`    ${t.at}  ${clean(t.action, 20)} ${clean(t.server, 40)}  ${recovered}`);
    }
  }
  if (s.thresholds.length > 0) {
    out.push('', '  thresholds');
    for (const t of s.thresholds) {
      const mark = t.pass ? paint(32, '✓') : paint(31, '✗');
      const observed = t.error ? t.error : `observed ${t.observed}`;
      out.push(`    ${mark} ${clean(t.expression, 80)}  ${clean(observed, 160)}`);
    }
  }
  out.push('');
  const total = plural(s.thresholds.length, 'threshold');
  const verdict =
    s.thresholds.length === 0
      ? 'no thresholds'
      : s.failed === 0
        ? paint(32, `${total} passed`)
        : paint(31, `${s.failed} of ${total} failed`);
  out.push(`load: ${report.completed} iterations, ${s.achievedRate}, ${verdict}`);
  return `${out.join('\n')}\n`;
}

import type { ScenarioRow, SuiteOutcome } from './official-suite.js';

/**
 * The Direct vs Gateway table of docs/conformance.md: one row per scenario,
 * one column per place and era. A cell joins every run of that era that has
 * the scenario (legacy: the 0.1.16 suite and 0.2.0's 2025-11-25 set).
 */

export const COLUMNS = ['Direct legacy', 'Direct modern', 'Gateway legacy', 'Gateway modern'] as const;
export type Column = (typeof COLUMNS)[number];
export const START = '<!-- conformance-table:start (npm run docs:conformance) -->';
export const END = '<!-- conformance-table:end -->';

/** What one cell says for the rows of one scenario across the runs of a column. */
function cell(rows: Array<{ run: string; row: ScenarioRow }>, expected: Set<string>): string {
  if (rows.length === 0) return '—';
  const parts = rows.map(({ run, row }) => {
    if (row.notScored) return `${row.ok ? 'pass' : 'fail'} (not scored: ${row.notScored})`;
    return row.ok ? 'pass' : expected.has(`${run}:${row.scenario}`) ? 'expected failure' : 'FAIL';
  });
  const distinct = [...new Set(parts)];
  return distinct.length === 1 ? distinct[0]! : rows.map(({ run }, i) => `${parts[i]} [${run}]`).join('; ');
}

export interface ColumnRuns {
  outcomes?: SuiteOutcome[];
  /** `run-id:scenario` entries of the committed baselines. */
  expected: Set<string>;
}

export function renderTable(columns: Partial<Record<Column, ColumnRuns>>): string {
  const names = new Set<string>();
  for (const c of Object.values(columns))
    for (const o of c?.outcomes ?? []) for (const r of o.rows) names.add(r.scenario);
  const lines = [`| Scenario | ${COLUMNS.join(' | ')} |`, `|---|${COLUMNS.map(() => '---').join('|')}|`];
  for (const name of [...names].sort()) {
    const cells = COLUMNS.map((col) => {
      const runs = columns[col];
      if (!runs?.outcomes) return 'not run yet';
      const rows = runs.outcomes.flatMap((o) =>
        o.rows.filter((r) => r.scenario === name).map((row) => ({ run: o.run.id, row })),
      );
      return cell(rows, runs.expected);
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The table between the markers of a document, or undefined. */
export function tableIn(doc: string): string | undefined {
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  return a < 0 || b < a ? undefined : doc.slice(a + START.length, b).trim();
}

/** One column of a rendered table, by scenario. */
export function columnOf(table: string, column: Column): Map<string, string> {
  const index = COLUMNS.indexOf(column) + 1;
  const out = new Map<string, string>();
  for (const line of table.split('\n').slice(2)) {
    const cells = line.split('|').map((c) => c.trim());
    out.set(cells[1]!, cells[index + 1]!);
  }
  return out;
}

export function replaceTable(doc: string, table: string): string {
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) return `${doc.trimEnd()}\n\n${START}\n${table}\n${END}\n`;
  return `${doc.slice(0, a + START.length)}\n${table}\n${doc.slice(b)}`;
}

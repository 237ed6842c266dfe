import { readFile, writeFile } from 'node:fs/promises';
import { runDirect } from '../conformance/direct.js';
import {
  COLUMNS,
  type Column,
  type ColumnRuns,
  columnOf,
  renderTable,
  replaceTable,
  tableIn,
} from '../conformance/table.js';

/**
 * `npm run docs:conformance`: runs the official suite directly against the
 * fixture fleet (both eras) and writes the Direct vs Gateway table of
 * docs/conformance.md. Gateway columns are kept as committed (they come from the
 * run through the reference gateway) or read "not run yet".
 */
const DOC = new URL('../../docs/conformance.md', import.meta.url);
const doc = await readFile(DOC, 'utf8');
const { columns } = await runDirect();
let table = renderTable(columns);
const committed = tableIn(doc);
if (committed) {
  // Keep what other runs wrote into the columns this run does not produce.
  const kept = COLUMNS.filter((c) => !(c in columns));
  const byColumn = new Map(kept.map((c) => [c, columnOf(committed, c)]));
  table = table
    .split('\n')
    .map((line, i) => {
      if (i < 2) return line;
      const cells = line.split('|').map((c) => c.trim());
      for (const c of kept) {
        const v = byColumn.get(c)?.get(cells[1]!);
        if (v) cells[COLUMNS.indexOf(c) + 2] = v;
      }
      return cells.join(' | ').trim();
    })
    .join('\n');
}
await writeFile(DOC, replaceTable(doc, table));
const rows = table.split('\n').length - 2;
console.log(
  `docs/conformance.md: ${rows} scenarios (${Object.keys(columns as Record<Column, ColumnRuns>).join(', ')})`,
);

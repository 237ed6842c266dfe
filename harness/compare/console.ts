import { escapeControl, formatDuration } from '../report/format.js';
import type { CompareResult } from './schema.js';
import { compareRows } from './table.js';

/**
 * The comparison as a side-by-side table in the terminal (rows from
 * table.ts). The last line is the verdict.
 */
export function renderCompareConsole(result: CompareResult): string {
  const cols = result.patterns;
  const rows = compareRows(result);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const lines = [
    `compare ${result.name}  ${result.iterations} rounds · fleet ${result.fleet.map((f) => `${f.name} (${f.transport})`).join(', ')}`,
    ...rows.map((r) =>
      r
        .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    ),
  ];
  for (const p of cols)
    if (p.error) lines.push(`${p.target}: ${escapeControl(p.error.split('\n')[0] ?? '')}`);
  lines.push(
    result.status === 'pass'
      ? `every pattern completed every workflow (${formatDuration(result.durationMs * 1000)})`
      : `${cols.filter((p) => p.status !== 'pass').length} pattern(s) failed`,
  );
  return `${lines.join('\n')}\n`;
}

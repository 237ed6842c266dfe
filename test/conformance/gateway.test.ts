import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runGateway } from './gateway.js';
import { columnOf, renderTable, tableIn } from './table.js';

/**
 * The official conformance suite through the reference gateway (identity
 * naming) in front of the fixture fleet: both versions, both eras. Every
 * scored scenario passes or is a committed, explained expected failure (the
 * suite exits 0 with the gateway baselines and fails on a stale entry); the
 * Gateway columns of docs/conformance.md are what these runs produce.
 */

describe('official conformance suite, through the reference gateway', () => {
  it('every scored scenario passes in both eras or is a baselined expected failure; the docs table is true', {
    timeout: 120_000,
  }, async () => {
    const { outcomes, columns } = await runGateway();
    for (const o of outcomes) {
      expect(o.rows.length, `${o.run.label} printed no summary:\n${o.output.slice(-2000)}`).toBeGreaterThan(
        0,
      );
      expect(o.exitCode, `${o.run.label} failed beyond its baseline:\n${o.output.slice(-3000)}`).toBe(0);
    }
    const doc = await readFile(new URL('../../docs/conformance.md', import.meta.url), 'utf8');
    const committed = tableIn(doc);
    expect(committed, 'docs/conformance.md has no table').toBeDefined();
    const fresh = renderTable(columns);
    for (const col of ['Gateway legacy', 'Gateway modern'] as const) {
      expect(Object.fromEntries(columnOf(committed!, col)), `${col} of docs/conformance.md`).toEqual(
        Object.fromEntries(columnOf(fresh, col)),
      );
    }
  });
});

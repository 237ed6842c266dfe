import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../harness/checks/run-checks.js';
import { DEFAULT_CONCURRENCY } from '../../../harness/checks/schedule.js';
import { referenceGateway, resultLine } from '../../helpers/checks.js';

/**
 * Every existing suite (gateway, http, security) against the correct
 * reference gateway in a 2026-07-28 run: each check passes, or is skipped
 * with a reason that names why it cannot be asked — the era (a check for the
 * 2025 wire, or a backend reached without a session), or, for
 * gateway.failover-to-replica as in every run, no replicas declared.
 * Nothing fails, warns or is blocked. Needs `npm run build` (the gateway
 * runs from dist/).
 */

/** Skips that have nothing to do with the era (the same in a 2025 run). */
const NOT_ERA = { 'gateway.failover-to-replica': /no replicas declared/ } as const;
/** How a skip names the era: the check is for the 2025 wire, or the 2026-07-28 wire has no such thing. */
const NAMES_ERA = /2025-11-25|2026-07-28|legacy|modern/;

describe('the gateway, http and security suites in a 2026-07-28 run', () => {
  it('pass against the correct reference gateway, or skip naming the era', { timeout: 60_000 }, async () => {
    const run = await runChecks({
      target: referenceGateway([], { protocol: 'modern' }, 3000),
      suites: ['gateway', 'http', 'security'],
      concurrency: DEFAULT_CONCURRENCY,
    });
    const all = run.results;
    const report = all.map(resultLine).join('\n');
    expect(all.length, report).toBeGreaterThan(40);
    const bad = all.filter((r) => r.status !== 'pass' && r.status !== 'skip');
    expect(bad.map(resultLine), report).toEqual([]);
    for (const r of all.filter((x) => x.status === 'skip')) {
      const why = NOT_ERA[r.id as keyof typeof NOT_ERA] ?? NAMES_ERA;
      expect(r.reason, `${r.id} skipped: ${r.reason}`).toMatch(why);
    }
    // Most of each suite is exercised, not skipped away.
    for (const suite of ['gateway', 'http', 'security'] as const) {
      const of = all.filter((r) => r.suite === suite);
      expect(of.filter((r) => r.status === 'pass').length, `${suite}:\n${report}`).toBeGreaterThan(
        of.length / 2,
      );
    }
  });
});

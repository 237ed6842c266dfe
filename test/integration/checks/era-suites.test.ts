import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../harness/schema/result.js';
import { checkResults, referenceGateway } from '../../helpers/checks.js';

/**
 * The modern and cross-era suites against the reference gateway (compiled:
 * `npm run build` first), once per era: every check that applies to the era
 * passes, every other one is skipped with the reason, none is blocked.
 */

const ONLY = ['modern.', 'cross-era.'];
const line = (r: CheckResult) =>
  `${r.id}: ${r.status} — ${r.status === 'skip' || r.status === 'blocked' ? r.reason : r.observed}`;

describe.each([
  ['legacy', 'legacy', ['cross-era.legacy-client-modern-backend', 'cross-era.input-to-legacy-client']],
  [
    'modern',
    '2026-07-28',
    [
      'modern.discover',
      'modern.header-mismatch',
      'modern.result-type',
      'modern.cache-hints',
      'modern.stateless',
      'modern.mrtr-relayed',
      'modern.log-level',
      'modern.listen',
      'cross-era.modern-client-legacy-backend',
      'cross-era.input-to-modern-client',
    ],
  ],
] as const)('a %s run', (era, protocol, applies) => {
  it('passes what applies to the era and skips the rest', { timeout: 60_000 }, async () => {
    const results = await checkResults(referenceGateway([], { protocol }, 3000), ONLY);
    const all = [...results.values()];
    const statuses = Object.fromEntries(all.map((r) => [r.id, r.status]));
    const wanted = Object.fromEntries(
      all.map((r) => [r.id, (applies as readonly string[]).includes(r.id) ? 'pass' : 'skip']),
    );
    expect(all.length).toBe(12);
    expect(statuses, all.map(line).join('\n')).toEqual(wanted);
    for (const r of all.filter((x) => x.status === 'skip'))
      expect(r.reason).toMatch(`this run speaks ${era}`);
  });
});

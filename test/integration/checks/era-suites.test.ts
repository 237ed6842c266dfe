import { describe, expect, it } from 'vitest';
import { checkResults, referenceGateway, resultLine } from '../../helpers/checks.js';
import { ERA_SUITES, LEGACY_ERA_CHECKS, MODERN_ERA_CHECKS } from '../../helpers/era-checks.js';

/**
 * The modern and cross-era suites against the reference gateway (compiled:
 * `npm run build` first), once per era: every check that applies to the era
 * passes, every other one is skipped with the reason, none is blocked.
 */

describe.each([
  ['legacy', 'legacy', LEGACY_ERA_CHECKS],
  ['modern', '2026-07-28', MODERN_ERA_CHECKS],
] as const)('a %s run', (era, protocol, applies) => {
  it('passes what applies to the era and skips the rest', { timeout: 60_000 }, async () => {
    const results = await checkResults(referenceGateway([], { protocol }, 3000), ERA_SUITES);
    const all = [...results.values()];
    const statuses = Object.fromEntries(all.map((r) => [r.id, r.status]));
    const wanted = Object.fromEntries(all.map((r) => [r.id, applies.includes(r.id) ? 'pass' : 'skip']));
    expect(all.length).toBe(12);
    expect(statuses, all.map(resultLine).join('\n')).toEqual(wanted);
    for (const r of all.filter((x) => x.status === 'skip'))
      expect(r.reason).toMatch(`this run speaks ${era}`);
  });
});

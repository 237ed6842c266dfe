import { describe, expect, it } from 'vitest';
import { crossEraChecks } from '../../harness/checks/cross-era/index.js';
import { modernChecks } from '../../harness/checks/modern/index.js';
import { runChecks } from '../../harness/checks/run-checks.js';
import type { ProtocolChoice } from '../../harness/schema/target.js';
import { referenceGateway, resultLine } from '../helpers/checks.js';
import { ERA_SUITES, LEGACY_ERA_CHECKS, MODERN_ERA_CHECKS } from '../helpers/era-checks.js';
import { limiter } from '../helpers/limiter.js';

/**
 * Each check of the modern and cross-era suites fails against the reference
 * gateway with the defect that breaks its rule, in the era the check is for;
 * the other checks of both suites keep their verdict (a check that cannot
 * run because of the finding is blocked by it, never passed).
 * Needs `npm run build` (the gateway runs from dist/).
 */

const IDS = [...modernChecks, ...crossEraChecks].map((c) => c.id);
const limit = limiter(2);

/** What the two suites say of a correct gateway in a run of `protocol`. */
function correct(protocol: ProtocolChoice): Record<string, string> {
  const legacy = protocol === 'legacy';
  return Object.fromEntries(
    IDS.map((id) => [id, protocol === 'auto' || LEGACY_ERA_CHECKS.includes(id) === legacy ? 'pass' : 'skip']),
  );
}

/** [check, defect, protocol of the run, what the observation shows, the other checks it blocks]. */
const ROWS: Array<[string, string, ProtocolChoice, RegExp, string[]]> = [
  [
    'modern.discover',
    'modern-unserved',
    'auto',
    /server\/discover: HTTP 400/,
    // Every other check of a 2026-07-28 client needs discover.
    MODERN_ERA_CHECKS.filter((id) => id !== 'modern.discover'),
  ],
  [
    'modern.log-level',
    'log-level-ignored',
    '2026-07-28',
    /log level error: \d+ info message\(s\) came anyway/,
    [],
  ],
  ['modern.header-mismatch', 'method-header-ignored', '2026-07-28', /Mcp-Method mismatch: HTTP 200/, []],
  ['modern.result-type', 'result-type-dropped', '2026-07-28', /prompts\/list: no resultType/, []],
  ['modern.mrtr-relayed', 'request-state-dropped', '2026-07-28', /asked, but the backend did not get/, []],
  [
    'modern.cache-hints',
    'cache-hints-widened',
    '2026-07-28',
    /tools\/list: ttlMs 3600000 > 0 the backends gave; tools\/list: cacheScope public, widened/,
    [],
  ],
  [
    'modern.listen',
    'listen-silent',
    '2026-07-28',
    /no notifications\/tools\/list_changed within 2000 ms/,
    [],
  ],
  [
    'modern.stateless',
    'modern-stateful',
    '2026-07-28',
    /tools\/call \(first request\) → HTTP 400, error -32600 .* \(on the single endpoint/,
    [],
  ],
  [
    'cross-era.modern-client-legacy-backend',
    'legacy-backends-hidden',
    '2026-07-28',
    /alpha\.add is not in the 2026-07-28 client's tools\/list/,
    ['modern.log-level', 'cross-era.input-to-modern-client'],
  ],
  ['cross-era.input-to-modern-client', 'mrtr-unbridged', '2026-07-28', /the client was never asked/, []],
  [
    'cross-era.legacy-client-modern-backend',
    'modern-backends-hidden',
    'legacy',
    /is not in the 2025 client's tools\/list/,
    ['cross-era.input-to-legacy-client'],
  ],
  [
    'cross-era.input-to-legacy-client',
    'input-required-unfulfilled',
    'legacy',
    /the client was never asked/,
    [],
  ],
];

describe('modern and cross-era suites', () => {
  it('has a failing row for every check', () => {
    expect(new Set(ROWS.map((r) => r[0]))).toEqual(new Set(IDS));
  });

  it('the era lists name every check of both suites once', () => {
    expect([...LEGACY_ERA_CHECKS, ...MODERN_ERA_CHECKS].sort()).toEqual([...IDS].sort());
  });

  it.concurrent.each(ROWS)(
    '%s fails against the reference gateway with %s (the rest as before)',
    { timeout: 120_000 },
    async (id, defect, protocol, shows, blocks) => {
      const run = await limit(() =>
        runChecks({ target: referenceGateway([defect], { protocol }, 3000), only: ERA_SUITES }),
      );
      const statuses = Object.fromEntries(run.results.map((r) => [r.id, r.status]));
      const wanted = {
        ...correct(protocol),
        [id]: 'fail',
        ...Object.fromEntries(blocks.map((b) => [b, 'blocked'])),
      };
      expect(statuses, run.results.map(resultLine).join('\n')).toEqual(wanted);
      expect(run.results.find((r) => r.id === id)?.observed).toMatch(shows);
    },
  );
});

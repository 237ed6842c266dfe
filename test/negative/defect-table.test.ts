import { describe, it } from 'vitest';
import { SUITE_CHECKS } from '../../harness/checks/registry.js';
import { DEFECT_NAMES } from '../../mocks/patterns/gateway/defects.js';
import { limiter } from '../helpers/limiter.js';
import { DEFECT_TABLE } from './defect-table.js';
import { CORRECT_GATEWAY_NOT_PASSING, notPassingInGatewaySuites } from './whole-suites.js';

/**
 * Every reference-gateway defect × the gateway, http and security suites: the
 * exact set of checks that do not pass, and how. A defect trips its own
 * check(s) and nothing else may fail, warn, skip or block, except the checks
 * its defect really keeps from running (a lost tool blocks the checks that
 * need it), which the table lists. Needs `npm run build`.
 */

const limit = limiter(4);

const sorted = (o: Record<string, string>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

describe.concurrent('every reference-gateway defect against every gateway suite', () => {
  it('the table has one row per defect', ({ expect }) => {
    expect(Object.keys(DEFECT_TABLE).sort()).toEqual([...DEFECT_NAMES].sort());
  });

  it('every check of the three suites fails or warns on some defect, or on a fixture elsewhere', ({
    expect,
  }) => {
    // Shown by broken-HTTP fixtures (test/negative/http.test.ts) and replica fleets (gateway-resilience.test.ts).
    const elsewhere = [
      'gateway.failover-to-replica',
      'http.session-id',
      'http.notification-202',
      'http.bad-protocol-version-400',
      'http.json-and-sse',
    ];
    const tripped = new Set(
      Object.values(DEFECT_TABLE).flatMap((row) =>
        Object.entries(row)
          .filter(([, status]) => status === 'fail' || status === 'warn')
          .map(([id]) => id),
      ),
    );
    const ids = [...SUITE_CHECKS.gateway, ...SUITE_CHECKS.http, ...SUITE_CHECKS.security].map((c) => c.id);
    expect(ids.filter((id) => !tripped.has(id) && !elsewhere.includes(id))).toEqual([]);
  });

  it('the correct gateway passes everything', { timeout: 300_000 }, async ({ expect }) => {
    const { notPassing, why } = await limit(() => notPassingInGatewaySuites([]));
    expect(sorted(notPassing), why).toEqual(sorted(CORRECT_GATEWAY_NOT_PASSING));
  });

  it.for(DEFECT_NAMES)('--defect %s', { timeout: 300_000 }, async (defect, { expect }) => {
    const { notPassing, why } = await limit(() => notPassingInGatewaySuites([defect]));
    expect(sorted(notPassing), why).toEqual(
      sorted({ ...CORRECT_GATEWAY_NOT_PASSING, ...DEFECT_TABLE[defect] }),
    );
  });
});

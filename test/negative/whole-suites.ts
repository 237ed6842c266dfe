import { runChecks } from '../../harness/checks/run-checks.js';
import { TargetSpecSchema } from '../../harness/schema/target.js';
import { referenceGatewayTarget } from '../../mocks/patterns/gateway/target.js';

/** What the correct reference gateway does not pass: only what the target cannot be asked. */
export const CORRECT_GATEWAY_NOT_PASSING = { 'gateway.failover-to-replica': 'skip' } as const;

/**
 * The reference gateway with `defects`, through the gateway, http and
 * security suites: each check that does not pass, with its status, and why
 * (for a readable failure). A 3 s per-call deadline leaves room for the stdio
 * server's start on a loaded machine. One check at a time (`concurrency: 1`):
 * the table runs four gateways at once on two cores, and lanes on top of that
 * make the stdio server's start per session outlast the gateway's deadline.
 * That concurrent runs give the same verdicts is shown by `npm run
 * bench:check` and test/e2e/check-concurrency.test.ts. Needs `npm run build`.
 */
export async function notPassingInGatewaySuites(
  defects: readonly string[],
): Promise<{ notPassing: Record<string, string>; why: string }> {
  const target = TargetSpecSchema.parse(referenceGatewayTarget(defects, 3000));
  const run = await runChecks({ target, suites: ['gateway', 'http', 'security'], concurrency: 1 });
  const bad = run.results.filter((r) => r.status !== 'pass');
  return {
    notPassing: Object.fromEntries(bad.map((r) => [r.id, r.status])),
    why: bad.map((r) => `${r.id}: ${r.status} — ${(r.reason ?? r.observed).slice(0, 300)}`).join('\n'),
  };
}

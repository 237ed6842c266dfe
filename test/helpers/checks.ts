import { runChecks } from '../../harness/checks/run-checks.js';
import type { CheckResult } from '../../harness/schema/result.js';
import { type TargetInput, type TargetSpec, TargetSpecSchema } from '../../harness/schema/target.js';
import { referenceGatewayTarget } from '../../mocks/patterns/gateway/target.js';

/** Helpers for check tests: the reference SUTs as targets, with defects switched on. */

/**
 * The reference gateway (compiled: run `npm run build` first), launched over
 * HTTP behind the suites' fleet, per-call timeout 1.5 s, target timeout 4 s.
 */
export function referenceGateway(
  defects: readonly string[] = [],
  extra: Partial<TargetInput> = {},
  /** The gateway's own per-call timeout; longer where a loaded machine's stdio spawns must fit in it. */
  callTimeoutMs?: number,
): TargetSpec {
  return TargetSpecSchema.parse({ ...referenceGatewayTarget(defects, callTimeoutMs), ...extra });
}

/** Run some checks against a target; results by id. */
export async function checkResults(
  target: TargetSpec,
  only: readonly string[],
): Promise<Map<string, CheckResult>> {
  const run = await runChecks({ target, only });
  return new Map(run.results.map((r) => [r.id, r]));
}

/** One result as a line for an assertion message: `id: status — observed` (the reason when skipped or blocked). */
export const resultLine = (r: CheckResult): string =>
  `${r.id}: ${r.status} — ${r.status === 'skip' || r.status === 'blocked' ? r.reason : r.observed}`;

/**
 * One check against a gateway at `url` speaking 2026-07-28 (tools named
 * `{server}__tool`, 4 s timeout), its fleet reached through `fleetAt`; the result.
 */
export async function oneModernCheck(
  id: string,
  gateway: { name: string; url: string; checks: Record<string, unknown> },
  fleetAt: string | undefined,
): Promise<CheckResult> {
  const target = TargetSpecSchema.parse({
    name: gateway.name,
    pattern: 'gateway',
    protocol: 'modern',
    endpoint: { transport: 'http', url: gateway.url },
    naming: { mode: 'prefix', prefix: '{server}', separator: '__' },
    timeoutMs: 4000,
    checks: gateway.checks,
  });
  const run = await runChecks({ target, only: [id], fleetAt });
  const [result] = run.results;
  if (run.results.length !== 1 || !result)
    throw new Error(`expected one result of ${id}, got ${JSON.stringify(run)}`);
  return result;
}

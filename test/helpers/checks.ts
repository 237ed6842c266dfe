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

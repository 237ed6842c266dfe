import { z } from 'zod';
import { readDataFile, validate } from '../config/load.js';
import { HarnessError } from '../errors.js';
import type { CheckResult } from '../schema/result.js';

/**
 * The expected-failures baseline: check id → why it is expected to fail.
 * A listed check that fails is reported as expected (exit stays 0); a listed
 * check that passes is stale and fails the run until the entry is removed,
 * as in the official conformance suite.
 */
export const BaselineSchema = z.record(
  z.string().regex(/^[a-z]+\.[a-z0-9-]+$/, 'expected a check id such as gateway.unknown-tool'),
  z.string().min(1, 'say why the check is expected to fail'),
);
export type Baseline = z.infer<typeof BaselineSchema>;

export async function loadBaseline(file: string, knownIds: ReadonlySet<string>): Promise<Baseline> {
  const baseline = validate(BaselineSchema, (await readDataFile(file)) ?? {}, file);
  const unknown = Object.keys(baseline).filter((id) => !knownIds.has(id));
  if (unknown.length > 0) {
    throw new HarnessError('INVALID_CONFIG', `${file}: ${unknown.length} unknown check id(s)`, {
      problems: unknown.map((id) => ({ path: id, message: 'no check has this id' })),
    });
  }
  return baseline;
}

/**
 * Mark expected failures and stale entries. A listed check that fails, warns,
 * skips or is blocked is expected (a gateway that hides a tool the check needs
 * is baselined like one that fails it); a listed check that passes is stale.
 */
export function applyBaseline(results: readonly CheckResult[], baseline: Baseline): CheckResult[] {
  return results.map((r) => {
    const why = baseline[r.id];
    if (why === undefined) return r;
    if (r.status !== 'pass') return { ...r, expectedFailure: true, reason: r.reason ?? why };
    if (r.status === 'pass')
      return {
        ...r,
        stale: true,
        reason: `listed in the baseline (${why}) but passes now: remove the entry`,
      };
    return r;
  });
}

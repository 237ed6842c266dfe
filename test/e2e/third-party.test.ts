import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../harness/checks/run-checks.js';
import type { CheckResult } from '../../harness/schema/result.js';

/**
 * The suites against two real gateways from npm (devDependencies), each with
 * its committed baseline: every failure must be expected, no baseline entry
 * may be stale, and nothing may be left running. docs/third-party.md shows
 * what was found.
 */

const ROOT = join(import.meta.dirname, '../..');

const unexpected = (results: CheckResult[]) =>
  results
    .filter(
      (r) =>
        ((r.status === 'fail' || r.status === 'warn' || r.status === 'blocked') && !r.expectedFailure) ||
        r.stale,
    )
    .map((r) => `${r.id}: ${r.status}${r.stale ? ' (stale baseline entry)' : ''} — ${r.observed}`);

describe.concurrent('third-party gateways against their baselines', () => {
  for (const name of ['mcp-hub', 'mcp-proxy']) {
    it(`${name}: every failure is in its baseline, no entry is stale`, { timeout: 240_000 }, async () => {
      const run = await runChecks({
        target: join(ROOT, `scenarios/targets/${name}.yaml`),
        expectedFailures: join(ROOT, `scenarios/baselines/${name}.yaml`),
      });
      expect(run.error).toBeUndefined();
      expect(unexpected(run.results)).toEqual([]);
      expect(run.results.filter((r) => r.expectedFailure).length).toBeGreaterThan(0);
    });
  }
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../harness/checks/run-checks.js';
import { TargetSpecSchema } from '../../../harness/schema/target.js';
import { liveGroupCount } from '../../../harness/target/process.js';
import { referenceGateway } from '../../helpers/checks.js';

/**
 * A target that cannot be started, or that dies mid-suite: the remaining
 * checks fail (or run on a relaunched SUT) with a reason, nothing hangs, and
 * no process group is left behind.
 */

const raw = fileURLToPath(new URL('../../fixtures/target/raw-stdio.mjs', import.meta.url));

describe('runChecks when the SUT misbehaves', () => {
  it('cannot be started: every selected check is blocked with the reason, and the run carries the error', async () => {
    const before = liveGroupCount();
    const target = TargetSpecSchema.parse({
      pattern: 'gateway',
      endpoint: { transport: 'stdio', command: process.execPath, args: [raw, 'exit'] },
    });
    const run = await runChecks({ target, suites: ['gateway'] });
    expect(run.error?.code).toBe('SUT_UNREACHABLE');
    expect(run.results.length).toBeGreaterThan(10);
    for (const r of run.results) {
      expect(r).toMatchObject({ status: 'blocked', blockedBy: 'SUT start' });
      expect(r.reason).toMatch(/^not run: the SUT could not be started or reached: .*exit/);
    }
    expect(liveGroupCount()).toBe(before);
  });

  it('dies mid-suite: the check that killed it fails, the SUT is relaunched and later checks still run', async () => {
    const before = liveGroupCount();
    const run = await runChecks({
      target: referenceGateway(['oversize-crash']),
      only: ['security.oversized-request', 'gateway.ping', 'gateway.unknown-tool'],
    });
    const byId = new Map(run.results.map((r) => [r.id, r]));
    expect(run.error).toBeUndefined();
    expect(byId.get('security.oversized-request')?.status).toBe('fail');
    expect(byId.get('gateway.ping')?.status).toBe('pass');
    expect(byId.get('gateway.unknown-tool')?.status).toBe('pass');
    expect(liveGroupCount()).toBe(before);
  });

  it('dies mid-suite before other checks: they run, and pass, on the relaunched SUT', async () => {
    const run = await runChecks({
      target: referenceGateway(['oversize-crash']),
      suites: ['security', 'http'],
    });
    const i = run.results.findIndex((r) => r.id === 'security.oversized-request');
    expect(run.results[i]?.status).toBe('fail');
    const after = run.results.slice(i + 1);
    expect(after.map((r) => r.suite)).toContain('http');
    for (const r of after) expect(`${r.id}: ${r.status} ${r.observed}`).toMatch(/: pass /);
  });
});

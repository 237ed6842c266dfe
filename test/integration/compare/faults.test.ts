import { beforeAll, describe, expect, it } from 'vitest';
import { runCompare } from '../../../harness/compare/run-compare.js';
import type { CompareResult, FaultResult } from '../../../harness/compare/schema.js';

/**
 * Under `--fault server:fault`, each pattern reports what its client saw
 * (isError, JSON-RPC error, timeout), how long the failing step took to
 * fail, and whether the other servers still answer through it.
 */
let result: CompareResult;

beforeAll(async () => {
  result = await runCompare('scenarios/compare/bug-triage.yaml', {
    targets: ['mesh', 'scenarios/compare/reference-gateway.yaml'],
    iterations: 1,
    warmup: 0,
    stepTimeoutMs: 1500,
    faults: ['repo:tool-error', 'repo:protocol-error:code=-32001', 'repo:hang'],
  });
}, 90_000);

const fault = (target: string, flag: string): FaultResult => {
  const f = result.patterns.find((p) => p.target === target)?.faults.find((x) => x.fault === flag);
  if (!f) throw new Error(`no ${flag} for ${target}`);
  return f;
};

describe('compare under faults', () => {
  it.each(['mesh', 'reference-gateway'])(
    '%s: the failing step as the client saw it; the others still answer',
    (t) => {
      const toolError = fault(t, 'repo:tool-error');
      expect(toolError.seen).toBe('isError');
      expect(toolError.steps.find((s) => s.step === 'code')?.outcome).toBe('isError');
      expect(toolError.steps.find((s) => s.step === 'issue')?.outcome).toBe('ok');
      expect(toolError.timeToErrorUs).toBeGreaterThan(0);
      expect(toolError.others).toMatchObject({ ok: 2, total: 2 });

      const protocol = fault(t, 'repo:protocol-error:code=-32001');
      expect(protocol.seen).toBe('error');
      expect(protocol.others).toMatchObject({ ok: 2, total: 2 });

      const hang = fault(t, 'repo:hang');
      expect(hang.seen).toBe('timeout');
      expect(hang.timeToErrorUs).toBeGreaterThanOrEqual(1_400_000);
      expect(hang.others).toMatchObject({ ok: 2, total: 2 });
    },
  );

  it('the clean rounds still pass (faults run after them and are removed)', () => {
    expect(result.patterns.map((p) => p.status)).toEqual(['pass', 'pass']);
  });
});

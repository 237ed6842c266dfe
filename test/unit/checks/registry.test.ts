import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBaseline } from '../../../harness/checks/baseline.js';
import { checksTable, statusLegend } from '../../../harness/checks/list.js';
import { allChecks, SUITE_CHECKS } from '../../../harness/checks/registry.js';
import { blocked, fail, pass, skip, toResult } from '../../../harness/checks/types.js';

const ROOT = join(import.meta.dirname, '../../..');

describe('the check registry', () => {
  it('ids are unique, prefixed by their suite, and every suite has checks', () => {
    const ids = allChecks().map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [suite, checks] of Object.entries(SUITE_CHECKS)) {
      expect(checks.length, suite).toBeGreaterThan(0);
      for (const c of checks) expect(c.id.startsWith(`${suite}.`), c.id).toBe(true);
    }
  });

  it('docs/checks.md lists exactly the registered checks (regenerate with check --list)', () => {
    const doc = readFileSync(join(ROOT, 'docs/checks.md'), 'utf8');
    expect(doc).toContain(checksTable());
    expect(doc).toContain(statusLegend());
  });
});

describe('verdicts and the baseline', () => {
  const must = allChecks().find((c) => c.severity === 'must')!;
  const should = allChecks().find((c) => c.severity === 'should')!;

  it('a broken MUST fails, a broken SHOULD warns, a skip keeps its reason', () => {
    expect(toResult(must, fail('x'), 1).status).toBe('fail');
    expect(toResult(should, fail('x'), 1).status).toBe('warn');
    expect(toResult(must, skip('no replicas'), 1)).toMatchObject({ status: 'skip', reason: 'no replicas' });
  });

  it('a listed failure is expected; a listed pass is stale', () => {
    const failed = toResult(must, fail('broken'), 1);
    const passed = toResult(should, pass('fine'), 1);
    const [a, b] = applyBaseline([failed, passed], { [must.id]: 'known bug', [should.id]: 'was broken' });
    expect(a).toMatchObject({ status: 'fail', expectedFailure: true });
    expect(b).toMatchObject({ status: 'pass', stale: true });
  });

  it('a block names what blocked it, whatever the severity; a listed block or skip is expected', () => {
    const b = toResult(should, blocked('the SUT does not expose alpha.log', 'gateway.tools-exposed-once'), 1);
    expect(b).toMatchObject({ status: 'blocked', blockedBy: 'gateway.tools-exposed-once' });
    const s = toResult(must, skip('not HTTP'), 1);
    const [x, y] = applyBaseline([b, s], { [should.id]: 'hides alpha.log', [must.id]: 'stdio only' });
    expect(x).toMatchObject({ status: 'blocked', expectedFailure: true });
    expect(y).toMatchObject({ status: 'skip', expectedFailure: true });
  });
});

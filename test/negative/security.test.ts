import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../harness/checks/run-checks.js';
import { securityChecks } from '../../harness/checks/security/index.js';
import type { CheckResult } from '../../harness/schema/result.js';
import { type TargetSpec, TargetSpecSchema } from '../../harness/schema/target.js';
import { checkResults, referenceGateway } from '../helpers/checks.js';
import { limiter } from '../helpers/limiter.js';

/**
 * The security suite passes against the reference gateway, and each check
 * fails (warns, for a SHOULD) against the gateway with the defect that breaks
 * its rule. Needs `npm run build` (the gateway runs from dist/). The defect
 * rows run concurrently (each its own gateway and fleet), at most three at once.
 * A check that could not exercise its assertion is blocked, never passed:
 * shown with the leaky gateway (test/fixtures/leaky), which lists its tools
 * once (beta's late tool never shows) and can leave a tool out.
 */

const IDS = securityChecks.map((c) => c.id);
const limit = limiter(3);

const statuses = (results: ReadonlyArray<{ id: string; status: string }>) =>
  Object.fromEntries(results.map((r) => [r.id, r.status]));
const allPass = Object.fromEntries(IDS.map((id) => [id, 'pass']));
const line = (r: CheckResult | undefined) =>
  r
    ? `${r.id}: ${r.status} — ${r.status === 'skip' || r.status === 'blocked' ? r.reason : r.observed}`
    : 'no result';

/** [check, reference-gateway defect, status it gets, what the observation shows]. */
const ROWS: Array<[string, string, 'fail' | 'warn', RegExp]> = [
  ['security.credentials-not-forwarded', 'auth-forwarded', 'fail', /alpha received authorization, cookie/],
  [
    'security.no-shadowing',
    'shadowing',
    'fail',
    /'echo' \(beta\/echo\); alpha's echo gone from tools\/list \(shadowed\)/,
  ],
  ['security.oversized-request', 'oversize-crash', 'fail', /afterwards ping failed/],
  [
    'security.no-stack-traces',
    'leak-internals',
    'warn',
    /alpha\.rpc_error.*the answer shows a stack frame "at /,
  ],
  [
    'security.no-stack-traces',
    'leak-js-error',
    'warn',
    /alpha\.rpc_error.*the answer shows a JavaScript engine message "Cannot read properties of undefined/,
  ],
];

/** The leaky gateway (stdio) in front of alpha and beta, with its flags. */
const leaky = (...flags: string[]): TargetSpec =>
  TargetSpecSchema.parse({
    name: `leaky-gateway ${flags.join(' ')}`.trim(),
    pattern: 'gateway',
    endpoint: {
      transport: 'stdio',
      command: process.execPath,
      args: [
        join(import.meta.dirname, '../fixtures/leaky/leaky-gateway.mjs'),
        '--servers',
        '{mcpServersFile}',
        ...flags,
      ],
    },
    naming: { mode: 'prefix', prefix: '{server}', separator: '__' },
    timeoutMs: 10_000,
    checks: { servers: ['alpha', 'beta'] },
  });

const one = async (target: TargetSpec, id: string) => (await limit(() => checkResults(target, [id]))).get(id);

describe.concurrent('security suite', () => {
  it('has a failing row for every check', () => {
    expect(new Set(ROWS.map((r) => r[0]))).toEqual(new Set(IDS));
  });

  it('passes every check against the reference gateway', { timeout: 60_000 }, async () => {
    const run = await limit(() => runChecks({ target: referenceGateway([]), suites: ['security'] }));
    expect(statuses(run.results), JSON.stringify(run.results.map(line))).toEqual(allPass);
  });

  it.for(ROWS)('%s breaks with %s', { timeout: 60_000 }, async ([id, defect, status, shows]) => {
    const r = await one(referenceGateway([defect]), id);
    expect(r?.status, line(r)).toBe(status);
    expect(r?.observed).toMatch(shows);
  });

  it('with auth-forwarded, only credentials-not-forwarded fails in the whole suite', {
    timeout: 60_000,
  }, async () => {
    const run = await limit(() =>
      runChecks({ target: referenceGateway(['auth-forwarded']), suites: ['security'] }),
    );
    expect(statuses(run.results)).toEqual({ ...allPass, 'security.credentials-not-forwarded': 'fail' });
  });

  it('no-stack-traces passes on the leaky gateway that leaks nothing', { timeout: 60_000 }, async () => {
    expect(line(await one(leaky(), 'security.no-stack-traces'))).toMatch(
      /^security\.no-stack-traces: pass — no internals in the answers to all 6 probes/,
    );
  });

  it.for([
    ['python', /a Python traceback "Traceback \(most recent call last\):/],
    ['go', /a Go panic "panic: /],
    ['java', /a Java stack frame "at com\.example\.gw\.Router\.route\(Router\.java:88\)"/],
  ] as const)('no-stack-traces warns on a %s leak', { timeout: 60_000 }, async ([runtime, shows]) => {
    const r = await one(leaky('--leak', runtime), 'security.no-stack-traces');
    expect(r?.status, line(r)).toBe('warn');
    expect(r?.observed).toMatch(shows);
  });

  it('no-stack-traces is blocked, naming the probe, when a probe tool is not exposed', {
    timeout: 60_000,
  }, async () => {
    expect(line(await one(leaky('--hide', 'alpha.log'), 'security.no-stack-traces'))).toMatch(
      /^security\.no-stack-traces: blocked — not every error path could be tried: downstream handler exception \(alpha\.log\) \(the SUT does not expose 'alpha\.log'\)/,
    );
  });

  it('a visible leak fails no-stack-traces even when a probe could not be tried', {
    timeout: 60_000,
  }, async () => {
    const r = await one(leaky('--hide', 'alpha.log', '--leak', 'python'), 'security.no-stack-traces');
    expect(r?.status, line(r)).toBe('warn');
  });

  it('no-shadowing is blocked when the SUT never lists the tool beta adds late', {
    timeout: 60_000,
  }, async () => {
    expect(line(await one(leaky(), 'security.no-shadowing'))).toMatch(
      /^security\.no-shadowing: blocked — alpha__echo → alpha, beta__echo → beta; beta added a tool 'add' but the SUT did not list it within 5 s/,
    );
  });

  it('no-shadowing passes on the reference gateway only once the late tool is listed', {
    timeout: 60_000,
  }, async () => {
    expect(line(await one(referenceGateway([]), 'security.no-shadowing'))).toMatch(
      /alpha__add → alpha, also with beta's own 'add' listed as 'beta__add'$/,
    );
  });

  it('gateway.no-internals-leak uses the same detector: a Python traceback warns there too', {
    timeout: 60_000,
  }, async () => {
    const r = await one(leaky('--leak', 'python'), 'gateway.no-internals-leak');
    expect(r?.status, line(r)).toBe('warn');
    expect(r?.observed).toMatch(/a Python traceback/);
  });
});

import { describe, expect, it } from 'vitest';
import { runChecks } from '../../harness/checks/run-checks.js';
import { securityChecks } from '../../harness/checks/security/index.js';
import { internalsIn } from '../../harness/checks/security/no-stack-traces.js';
import { checkResults, referenceGateway } from '../helpers/checks.js';

/**
 * The security suite passes against the reference gateway, and each check
 * fails (warns, for a SHOULD) against the gateway with the defect that breaks
 * its rule. Needs `npm run build` (the gateway runs from dist/). The defect
 * rows run concurrently (each its own gateway and fleet) to keep the file short.
 */

const IDS = securityChecks.map((c) => c.id);

const statuses = (results: ReadonlyArray<{ id: string; status: string }>) =>
  Object.fromEntries(results.map((r) => [r.id, r.status]));
const allPass = Object.fromEntries(IDS.map((id) => [id, 'pass']));

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
  ['security.no-stack-traces', 'leak-internals', 'warn', /alpha\.rpc_error.*the answer shows "at /],
];

describe('security suite', () => {
  it('has a failing row for every check', () => {
    expect(new Set(ROWS.map((r) => r[0]))).toEqual(new Set(IDS));
  });

  it('recognises stack frames and absolute paths, not URLs or tool names', () => {
    for (const leak of [
      'Error: x\n    at Foo.bar (file:///srv/app/dist/index.js:12:5)',
      'at /srv/app/server.js:3:9',
      'at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      'ENOENT: open "/etc/gateway/secrets.json"',
      'failed in C:\\Users\\gw\\app.js',
    ])
      expect(internalsIn(leak), leak).toBeDefined();
    for (const clean of [
      'alpha/rpc_error: alpha/rpc_error refused',
      'search/query: connection refused (http://127.0.0.1:4001/api/v1/mcp)',
      'the job failed at 12:30:45',
      'Unknown tool: no_such_tool, content type text/plain at /mcp',
    ])
      expect(internalsIn(clean), clean).toBeUndefined();
  });

  it('passes every check against the reference gateway', async () => {
    const run = await runChecks({ target: referenceGateway([]), suites: ['security'] });
    expect(statuses(run.results), JSON.stringify(run.results.map((r) => r.observed))).toEqual(allPass);
  });

  it.concurrent.each(ROWS)('%s breaks with %s', async (id, defect, status, shows) => {
    const r = (await checkResults(referenceGateway([defect]), [id])).get(id);
    expect(r?.status, r?.observed).toBe(status);
    expect(r?.observed).toMatch(shows);
  });

  it('with auth-forwarded, only credentials-not-forwarded fails in the whole suite', async () => {
    const run = await runChecks({ target: referenceGateway(['auth-forwarded']), suites: ['security'] });
    expect(statuses(run.results)).toEqual({ ...allPass, 'security.credentials-not-forwarded': 'fail' });
  });
});

import { describe, expect, it } from 'vitest';
import { httpChecks } from '../../harness/checks/http/index.js';
import { runChecks } from '../../harness/checks/run-checks.js';
import { TargetSpecSchema } from '../../harness/schema/target.js';
import { BREAKS, type Break, startBrokenHttp } from '../fixtures/broken-http/server.js';
import { checkResults, referenceGateway } from '../helpers/checks.js';
import { limiter } from '../helpers/limiter.js';

/**
 * The http suite passes against a conforming SUT, and each check fails against
 * a SUT that breaks its rule: a reference-gateway defect where one exists,
 * else a small server (test/fixtures/broken-http) that breaks only that rule.
 * Needs `npm run build` (the gateway runs from dist/).
 */

const IDS = httpChecks.map((c) => c.id);

/** Reference gateways (each with its fleet) at once. */
const limit = limiter(2);

const direct = (url: string) =>
  TargetSpecSchema.parse({ name: 'broken-http', pattern: 'direct', endpoint: { transport: 'http', url } });

async function onFixture<T>(breaks: Break | undefined, json: boolean, fn: (url: string) => Promise<T>) {
  const srv = await startBrokenHttp({ ...(breaks ? { breaks } : {}), json });
  try {
    return await fn(srv.url);
  } finally {
    await srv.close();
  }
}

const statuses = (results: ReadonlyArray<{ id: string; status: string }>) =>
  Object.fromEntries(results.map((r) => [r.id, r.status]));
const allPass = Object.fromEntries(IDS.map((id) => [id, 'pass']));

/** [check, reference-gateway defect, what the observation shows, status (a SHOULD warns)]. */
const GATEWAY_ROWS: Array<[string, string, RegExp, 'fail' | 'warn']> = [
  ['http.unknown-session-404', 'session-not-validated', /HTTP 400/, 'fail'],
  [
    'http.foreign-origin-403',
    'no-origin-check',
    /initialize with Origin http:\/\/evil\.example → HTTP 200/,
    'fail',
  ],
  ['http.foreign-host-403', 'no-host-check', /initialize with Host evil\.example:\d+ → HTTP 200/, 'fail'],
  ['http.error-keeps-id', 'error-id-null', /unknown Mcp-Session-Id → HTTP 404: id null/, 'warn'],
  ['http.sse-resume', 'no-resume', /GET with Last-Event-ID .* → HTTP 500/, 'warn'],
];

/** [check, fixture break, what the observation shows]. */
const FIXTURE_ROWS: Array<[string, Break, RegExp]> = [
  ['http.session-id', 'session-id-space', /contains 0x20/],
  ['http.notification-202', 'notification-200', /notifications\/initialized → HTTP 200/],
  ['http.bad-protocol-version-400', 'protocol-version-ignored', /MCP-Protocol-Version 2000-01-01: HTTP 200/],
  ['http.delete-session', 'delete-ignored', /ended session → HTTP 200/],
  ['http.json-and-sse', 'ping-text-plain', /ping answered with Content-Type 'text\/plain'/],
];

describe('http suite', () => {
  it('has a failing row for every check', () => {
    expect(new Set([...GATEWAY_ROWS, ...FIXTURE_ROWS].map((r) => r[0]))).toEqual(new Set(IDS));
    for (const [id, b] of FIXTURE_ROWS) expect(BREAKS[b]).toBe(id);
  });

  it('passes every check against the reference gateway', async () => {
    const run = await runChecks({ target: referenceGateway([]), suites: ['http'] });
    expect(statuses(run.results)).toEqual(allPass);
  });

  it('passes every check against a conforming server answering with SSE', async () => {
    const run = await onFixture(undefined, false, (url) =>
      runChecks({ target: direct(url), suites: ['http'] }),
    );
    expect(statuses(run.results)).toEqual(allPass);
  });

  it('passes every check against a conforming server answering with JSON (no SSE: nothing to resume)', async () => {
    const run = await onFixture(undefined, true, (url) =>
      runChecks({ target: direct(url), suites: ['http'] }),
    );
    expect(statuses(run.results)).toEqual({ ...allPass, 'http.sse-resume': 'skip' });
    expect(run.results.find((r) => r.id === 'http.sse-resume')?.reason).toMatch(/application\/json, not SSE/);
  });

  it.concurrent.each(GATEWAY_ROWS)(
    '%s does not pass against the reference gateway with %s',
    async (id, defect, shows, status) => {
      const r = (await limit(() => checkResults(referenceGateway([defect]), [id]))).get(id);
      expect(r?.status, r?.observed).toBe(status);
      expect(r?.observed).toMatch(shows);
    },
  );

  it('sse-resume skips a server whose SSE events carry no ids (resumability is optional)', async () => {
    const srv = await startBrokenHttp({ resumable: false });
    try {
      const run = await runChecks({ target: direct(srv.url), only: ['http.sse-resume'] });
      expect(run.results[0]?.status).toBe('skip');
      expect(run.results[0]?.reason).toMatch(/no event ids/);
    } finally {
      await srv.close();
    }
  });

  it.each(FIXTURE_ROWS)('%s fails against a server that breaks it (%s)', async (id, breaks, shows) => {
    const run = await onFixture(breaks, false, (url) => runChecks({ target: direct(url), only: [id] }));
    const r = run.results.find((x) => x.id === id);
    expect(r?.status, r?.observed).toBe('fail');
    expect(r?.observed).toMatch(shows);
  });

  it('with no-origin-check, only foreign-origin-403 fails in the whole suite', async () => {
    const run = await runChecks({ target: referenceGateway(['no-origin-check']), suites: ['http'] });
    expect(statuses(run.results)).toEqual({ ...allPass, 'http.foreign-origin-403': 'fail' });
  });

  it('against a server that ignores DELETE, only delete-session fails in the whole suite', async () => {
    const run = await onFixture('delete-ignored', false, (url) =>
      runChecks({ target: direct(url), suites: ['http'] }),
    );
    expect(statuses(run.results)).toEqual({ ...allPass, 'http.delete-session': 'fail' });
  });
});

import { join } from 'node:path';
import { describe, it } from 'vitest';
import type { CheckResult } from '../../../harness/schema/result.js';
import { type TargetInput, type TargetSpec, TargetSpecSchema } from '../../../harness/schema/target.js';
import type { DefectName } from '../../../mocks/patterns/gateway/defects.js';
import { referenceGatewayTarget } from '../../../mocks/patterns/gateway/target.js';
import { checkResults } from '../../helpers/checks.js';
import { limiter } from '../../helpers/limiter.js';

/**
 * Gateways of other shapes than the reference gateway, each correct in its
 * own way, and what the gateway checks say of them: an older protocol
 * revision, renamed resource URIs and prompt names, sampling refused, a
 * bridge of one server, a relay that passes a backend's 404 on to the
 * client, a gateway slower than its deadline but not hung. The reference
 * gateway runs from dist/ (`npm run build` first).
 */

const SHAPE = join(import.meta.dirname, '../../fixtures/shape');
const limit = limiter(2);
const line = (r: CheckResult | undefined) =>
  r
    ? `${r.id}: ${r.status} — ${r.status === 'skip' || r.status === 'blocked' ? r.reason : r.observed}`
    : 'no result';

const gateway = (defects: DefectName[] = [], extra: Partial<TargetInput> = {}): TargetSpec =>
  TargetSpecSchema.parse({ ...referenceGatewayTarget(defects), ...extra });

/** The renaming gateway (stdio) in front of alpha and beta. */
const renaming = (...flags: string[]): TargetSpec =>
  TargetSpecSchema.parse({
    name: `renaming-gateway ${flags.join(' ')}`.trim(),
    pattern: 'gateway',
    endpoint: {
      transport: 'stdio',
      command: process.execPath,
      args: [join(SHAPE, 'renaming-gateway.mjs'), '--servers', '{mcpServersFile}', ...flags],
    },
    naming: { mode: 'prefix', prefix: '{server}', separator: '__' },
    timeoutMs: 10_000,
    checks: { servers: ['alpha', 'beta'] },
  });

/** A plain HTTP relay in front of alpha alone. */
const relay: TargetSpec = TargetSpecSchema.parse({
  name: 'http-relay',
  pattern: 'gateway',
  endpoint: { transport: 'http', url: 'http://127.0.0.1:{port}/mcp' },
  launch: {
    command: process.execPath,
    args: [
      join(SHAPE, 'http-relay.mjs'),
      '--servers',
      '{mcpServersFile}',
      '--server',
      'alpha',
      '--port',
      '{port}',
    ],
    ready: { log: 'relay listening on http://' },
  },
  naming: { mode: 'origin' },
  timeoutMs: 10_000,
  checks: { servers: ['alpha'] },
});

const one = async (target: TargetSpec, id: string) => (await limit(() => checkResults(target, [id]))).get(id);

describe.concurrent('gateway checks on gateways of other shapes', () => {
  it('a gateway answering an older revision both sides support passes the handshake', async ({ expect }) => {
    const r = await one(gateway(['legacy-version-only']), 'gateway.handshake');
    expect(line(r)).toMatch(/^gateway\.handshake: pass — .*offering 2025-11-25: 2025-06-18/);
    expect(r?.observed).toContain('an older revision both support is allowed');
  });

  it('a gateway echoing a revision it does not speak fails the handshake', async ({ expect }) => {
    const r = await one(gateway(['version-echoed']), 'gateway.handshake');
    expect(line(r)).toMatch(/^gateway\.handshake: fail — offering 2024-01-01 \(no MCP revision\)/);
  });

  it.for([
    ['--uris', 'encoded'],
    ['--uris', 'path'],
  ])(
    'renamed resource URIs (%s %s) and prompt names are mapped through the listing',
    { timeout: 60_000 },
    async (flags, { expect }) => {
      const results = await limit(() =>
        checkResults(renaming(...flags), ['gateway.resources-routed', 'gateway.prompts-routed']),
      );
      const resources = results.get('gateway.resources-routed');
      expect(line(resources)).toMatch(/^gateway\.resources-routed: pass — /);
      expect(resources?.observed).toContain('gateway://');
      expect(line(results.get('gateway.prompts-routed'))).toMatch(
        /^gateway\.prompts-routed: pass — greet-from-alpha → /,
      );
    },
  );

  it('renamed but misrouted resources and prompts still fail', { timeout: 60_000 }, async ({ expect }) => {
    const results = await limit(() =>
      checkResults(renaming('--misroute'), ['gateway.resources-routed', 'gateway.prompts-routed']),
    );
    expect(line(results.get('gateway.resources-routed'))).toMatch(
      /^gateway\.resources-routed: fail — read gateway:\/\/resources\/alpha\/.*\(alpha\): JSON-RPC error/,
    );
    expect(line(results.get('gateway.prompts-routed'))).toMatch(/^gateway\.prompts-routed: fail — /);
  });

  it('a gateway that refuses sampling passes; one that answers it itself fails', { timeout: 60_000 }, async ({
    expect,
  }) => {
    const id = 'gateway.server-requests-not-fabricated';
    const [refusing, fabricating] = await Promise.all([
      one(renaming(), id),
      one(gateway(['sampling-fabricated']), id),
    ]);
    expect(line(refusing)).toMatch(
      /^gateway\.server-requests-not-fabricated: pass — sampling client: refused: /,
    );
    expect(refusing?.evidence).toMatchObject({ capableClient: { clientAsked: 0 } });
    expect(line(fabricating)).toMatch(
      /fail — for the sampling client, the backend's sampling request got an answer the client never gave/,
    );
  });

  it('a bridge of one server need not name it in errors', async ({ expect }) => {
    const r = await one(
      gateway(['anonymous-errors'], { checks: { servers: ['alpha'] } as TargetInput['checks'] }),
      'gateway.errors-name-origin',
    );
    expect(line(r)).toMatch(/^gateway\.errors-name-origin: skip — one server \(alpha\) behind the SUT/);
  });

  it('a relay that passes the backend’s 404 on: the client opens a new session, then judges', {
    timeout: 60_000,
  }, async ({ expect }) => {
    const r = await one(relay, 'gateway.reinit-after-404');
    expect(line(r)).toMatch(/^gateway\.reinit-after-404: pass — .*ended the client’s session too/);
    expect(r?.evidence).toMatchObject({ answered404: 1, clientSessionRenewed: 1 });
  });

  it('a gateway answering after its deadline is slow, not hung, with the time measured', async ({
    expect,
  }) => {
    // The reference gateway answers a hung backend after its own 1.5 s timeout; the deadline here is 0.5 s.
    const r = await one(gateway([], { deadlineMs: 500 }), 'gateway.hung-backend-bounded');
    expect(line(r)).toMatch(
      /^gateway\.hung-backend-bounded: fail — answered after [\d.]+ s, deadline 500 ms: slow, not hung/,
    );
    expect(r?.evidence).toMatchObject({ deadlineMs: 500, timeToErrorMs: expect.any(Number) });
    expect(r?.evidence?.timeToErrorMs).toBeGreaterThan(1000);
  });

  it('the check deadline does not cut the harness’s wait', { timeout: 90_000 }, async ({ expect }) => {
    // Deadline 16 s: the harness waits 32 s for a gateway that never answers, longer than the 30 s default check deadline.
    const r = await one(gateway(['no-timeout'], { deadlineMs: 16_000 }), 'gateway.hung-backend-bounded');
    expect(line(r)).toMatch(
      /^gateway\.hung-backend-bounded: fail — no answer within 32000 ms .*: the call hangs/,
    );
  });

  it('two tools on one exposed name block the checks that need them, with the mapping named', {
    timeout: 60_000,
  }, async ({ expect }) => {
    const ids = ['gateway.hung-backend-bounded', 'gateway.malformed-backend-survived'];
    const results = await limit(() =>
      checkResults(gateway(['duplicate-names'], { naming: { mode: 'origin' } }), ids),
    );
    for (const id of ids) {
      const r = results.get(id);
      expect(r?.status, line(r)).toBe('blocked');
      expect(r).toMatchObject({ blockedBy: 'tool mapping' });
    }
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resilienceChecks } from '../../harness/checks/gateway/resilience.js';
import type { FleetInput } from '../../harness/schema/fleet.js';
import type { CheckResult } from '../../harness/schema/result.js';
import { type TargetSpec, TargetSpecSchema } from '../../harness/schema/target.js';
import type { DefectName } from '../../mocks/patterns/gateway/defects.js';
import { referenceGatewayTarget } from '../../mocks/patterns/gateway/target.js';
import { checkResults } from '../helpers/checks.js';
import { limiter } from '../helpers/limiter.js';

/**
 * The gateway suite's resilience / notification / session checks against the
 * reference gateway (compiled: `npm run build` first): all pass on the correct
 * gateway, and each fails (or warns, for a SHOULD) on the defect that breaks
 * the rule it enforces. Two rows also run every resilience check to show the
 * defect trips only its own check. failover-to-replica needs replicas: its
 * rows use a fleet of two replica servers and a gateway config declaring them.
 */

const IDS = resilienceChecks.map((c) => c.id);
const SEVERITY = new Map(resilienceChecks.map((c) => [c.id, c.severity]));
const FAILOVER = 'gateway.failover-to-replica';

/** The reference gateway, per-call deadline 1.5 s (target timeout 4 s). */
const gateway = (defects: DefectName[] = []): TargetSpec =>
  TargetSpecSchema.parse(referenceGatewayTarget(defects));

/** Two replicas of one logical server `rep`, and nothing else. */
const REPLICA_FLEET: FleetInput = {
  servers: ['rep_a', 'rep_b'].map((name) => ({
    name,
    transport: 'http' as const,
    tools: [{ name: 'q', result: { text: `from ${name}` } }],
  })),
};
let work: string;
let replicaFleetFile: string;

/** The reference gateway with `gateway.replicas` in its config, behind REPLICA_FLEET, declared to the check. */
function replicaGateway(defects: DefectName[] = []): TargetSpec {
  const base = referenceGatewayTarget(defects);
  const config = {
    mcpServers: {
      rep_a: { type: 'http', url: '{fleet.rep_a.url}' },
      rep_b: { type: 'http', url: '{fleet.rep_b.url}' },
    },
    gateway: { replicas: { rep: ['rep_a', 'rep_b'] } },
  };
  const launch = base.launch!;
  return TargetSpecSchema.parse({
    ...base,
    launch: {
      ...launch,
      args: launch.args!.map((a) => (a === '{mcpServersFile}' ? '{workDir}/gateway.json' : a)),
      configTemplate: { path: '{workDir}/gateway.json', content: JSON.stringify(config) },
    },
    checks: { fleet: replicaFleetFile, gateway: { replicas: { rep: ['rep_a', 'rep_b'] } } },
  });
}

const SESSIONS = ['gateway.sessions-released', 'gateway.abandoned-sessions-released'];

/** A gateway sharing one downstream session per server across every client (test/fixtures/shared-gateway). */
const sharedGateway = (): TargetSpec =>
  TargetSpecSchema.parse({
    name: 'shared-gateway',
    pattern: 'gateway',
    endpoint: { transport: 'http', url: 'http://127.0.0.1:{port}/mcp' },
    launch: {
      command: process.execPath,
      args: [
        join(import.meta.dirname, '../fixtures/shared-gateway/gateway.mjs'),
        '--servers',
        '{mcpServersFile}',
        '--port',
        '{port}',
      ],
      ready: { log: 'shared gateway listening on http://' },
    },
    naming: { mode: 'prefix', prefix: '{server}', separator: '__' },
    timeoutMs: 10_000,
  });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mcp-harness-resilience-'));
  replicaFleetFile = join(work, 'replicas.json');
  await writeFile(replicaFleetFile, JSON.stringify(REPLICA_FLEET));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const limit = limiter(3);

const line = (r: CheckResult) => `${r.id}: ${r.status} — ${r.status === 'skip' ? r.reason : r.observed}`;
const expectedStatus = (id: string) => (SEVERITY.get(id) === 'must' ? 'fail' : 'warn');

/** Results that are neither pass nor the allowed skip of failover (no replicas in the default fleet). */
const notPassing = (results: Map<string, CheckResult>, except?: string) =>
  [...results.values()]
    .filter((r) => r.id !== except && r.status !== 'pass' && !(r.id === FAILOVER && r.status === 'skip'))
    .map(line);

type Row = [checkId: string, defect: DefectName, exact?: 'exact'];

/**
 * Every other resilience check is shown failing on its own defect, across
 * whole suites, by defect-table.test.ts; failover needs a replica fleet.
 */
const ROWS: Row[] = [[FAILOVER, 'no-failover']];

describe.concurrent('gateway resilience checks against the reference gateway', () => {
  it('failover-to-replica passes when replicas are declared', { timeout: 60_000 }, async () => {
    const r = (await limit(() => checkResults(replicaGateway(), [FAILOVER]))).get(FAILOVER)!;
    expect(r.status, line(r)).toBe('pass');
    expect(r.evidence).toMatchObject({ failedCalls: 0, killed: 'rep_a', servedAfter: ['rep_b'] });
  });

  it('one downstream session shared by every client is no growth', { timeout: 90_000 }, async () => {
    const results = await limit(() => checkResults(sharedGateway(), SESSIONS));
    for (const id of SESSIONS) {
      const r = results.get(id)!;
      expect(r.status, line(r)).toBe('pass');
      expect(r.evidence).toMatchObject({ perSession: 0, http: { opened: 0, live: 0 } });
    }
  });

  it('a gateway that keeps a down server listed, with errors naming it, shows the outage', {
    timeout: 60_000,
  }, async () => {
    const id = 'gateway.outage-visible';
    const r = (await limit(() => checkResults(sharedGateway(), [id]))).get(id)!;
    expect(r.status, line(r)).toBe('pass');
    expect(r.observed).toMatch(/^beta__lookup stays listed; a call to it fails naming beta, lookup/);
  });

  it('growth per session is reported for each way a session ends', { timeout: 90_000 }, async () => {
    const leak = (await limit(() => checkResults(gateway(['session-leak']), SESSIONS))) as Map<
      string,
      CheckResult
    >;
    // Three clients, each with its own session on alpha (beta and delta are reached statelessly, in
    // 2026-07-28: no session to leak) and its own gamma process.
    expect(leak.get(SESSIONS[0]!)?.evidence).toMatchObject({ perSession: 2, http: { opened: 3, live: 3 } });
    // Sessions that expire are released even by this defect: it is about DELETE only.
    expect(leak.get(SESSIONS[1]!)?.status).toBe('pass');
    expect(leak.get(SESSIONS[1]!)?.evidence).toMatchObject({ perSession: 0, http: { opened: 3, live: 0 } });
  });

  // The rows that run every check first: they take longest.
  const byLength = [...ROWS.filter((r) => r[2]), ...ROWS.filter((r) => !r[2])];
  it.each(byLength)('%s catches %s', { timeout: 110_000 }, async (id, defect, exact) => {
    const target = id === FAILOVER ? replicaGateway([defect]) : gateway([defect]);
    const results = await limit(() => checkResults(target, exact ? IDS : [id]));
    const r = results.get(id)!;
    expect(r.status, line(r)).toBe(expectedStatus(id));
    // Failed by the check itself, not because the SUT could not be started for it.
    expect(r.observed).not.toMatch(/^not run/);
    if (exact) expect(notPassing(results, id)).toEqual([]);
  });
});

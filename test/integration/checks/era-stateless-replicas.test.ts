import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceFleet } from '../../../harness/checks/fleet.js';
import type { CheckResult } from '../../../harness/schema/result.js';
import { oneModernCheck } from '../../helpers/checks.js';
import { type FleetHandle, fleetWithFile, type GatewayHandle, gatewayOn } from '../patterns/gateway-setup.js';

/**
 * modern.stateless with `checks.modern.replicas`: three in-process reference
 * gateways in front of one fleet (reached by the run through its control
 * API). Consecutive requests of the check go to consecutive instances; one
 * instance that keeps per-client state (modern-stateful) among correct ones
 * fails the check.
 */

const SERVERS = ['alpha', 'beta'];
let fleet: FleetHandle;
let good: GatewayHandle[];
let stateful: GatewayHandle;

beforeAll(async () => {
  fleet = await fleetWithFile(conformanceFleet(SERVERS));
  good = [await gatewayOn(fleet.fleet, fleet.file), await gatewayOn(fleet.fleet, fleet.file)];
  stateful = await gatewayOn(fleet.fleet, fleet.file, { defects: ['modern-stateful'] });
}, 30_000);

afterAll(async () => {
  await Promise.allSettled([...(good ?? []), stateful].filter(Boolean).map((g) => g.stop()));
  await fleet?.stop();
});

const stateless = (url: string, replicas: string[]): Promise<CheckResult> =>
  oneModernCheck(
    'modern.stateless',
    { name: 'replicated-gateway', url, checks: { servers: SERVERS, modern: { replicas } } },
    fleet.fleet.controlUrl,
  );

describe('modern.stateless across declared replicas', () => {
  it('sends consecutive requests to consecutive instances and passes on correct ones', {
    timeout: 30_000,
  }, async () => {
    const [a, b] = good.map((g) => g.url) as [string, string];
    const r = await stateless(a, [b]);
    expect(r.status, r.observed ?? r.reason).toBe('pass');
    expect(r.observed).toMatch(/across 2 instances/);
    const seen = (r.evidence?.seen ?? []) as Array<{ instance: string }>;
    expect(seen.map((s) => s.instance)).toEqual([a, b, a]);
  });

  it('fails when one instance keeps per-client state', { timeout: 30_000 }, async () => {
    const [a] = good.map((g) => g.url) as [string];
    const r = await stateless(a, [stateful.url]);
    expect(r.status).toBe('fail');
    expect(r.observed).toMatch(/^tools\/list → HTTP 400, error -32600 .*\(across 2 instances\)$/);
  });
});

import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceFleet } from '../../../harness/checks/fleet.js';
import { boundOf, hintProblems } from '../../../harness/checks/modern/cache-hints.js';
import { type FleetInput, FleetSpecSchema } from '../../../harness/schema/fleet.js';
import type { CheckResult } from '../../../harness/schema/result.js';
import { oneModernCheck } from '../../helpers/checks.js';
import { type FleetHandle, fleetWithFile, type GatewayHandle, gatewayOn } from '../patterns/gateway-setup.js';

/**
 * modern.cache-hints with backends that give real hints: beta (both eras)
 * says its results stay fresh a minute and may be shared; alpha (2025 only)
 * says nothing (absent: 0). The correct reference gateway relays beta's read
 * hints unchanged and says 0/private on the lists alpha contributes to; one
 * with cache-hints-widened promises an hour, shared, and fails.
 */

const BETA_HINT = { ttlMs: 60_000, cacheScope: 'public' } as const;
const input = conformanceFleet(['alpha', 'beta']);
const FLEET: FleetInput = {
  ...input,
  servers: input.servers.map((s) => (s.name === 'beta' ? { ...s, cache: BETA_HINT } : s)),
};

let fleet: FleetHandle;
let correct: GatewayHandle;
let widened: GatewayHandle;
let fleetFile: string;

beforeAll(async () => {
  fleet = await fleetWithFile(FLEET);
  fleetFile = join(dirname(fleet.file), 'fleet.json');
  await writeFile(fleetFile, JSON.stringify(FLEET));
  correct = await gatewayOn(fleet.fleet, fleet.file);
  widened = await gatewayOn(fleet.fleet, fleet.file, { defects: ['cache-hints-widened'] });
}, 30_000);

afterAll(async () => {
  await Promise.allSettled([correct, widened].filter(Boolean).map((g) => g.stop()));
  await fleet?.stop();
});

const cacheHints = (url: string): Promise<CheckResult> =>
  oneModernCheck(
    'modern.cache-hints',
    { name: 'gateway', url, checks: { fleet: fleetFile } },
    fleet.fleet.controlUrl,
  );

describe('modern.cache-hints against backends with hints', () => {
  it('passes a gateway that relays a read’s hints and lowers the lists’', { timeout: 30_000 }, async () => {
    const r = await cacheHints(correct.url);
    expect(r.status, r.observed ?? r.reason).toBe('pass');
    const seen = r.evidence?.seen as Record<string, { ttlMs: number; cacheScope: string }>;
    expect(seen['resources/read beta://notes/one']).toMatchObject(BETA_HINT);
    expect(seen['tools/list']).toMatchObject({ ttlMs: 0, cacheScope: 'private' });
  });

  it('fails a gateway that promises more than beta gave', { timeout: 30_000 }, async () => {
    const r = await cacheHints(widened.url);
    expect(r.status).toBe('fail');
    expect(r.observed).toContain('resources/read beta://notes/one: ttlMs 3600000 > 60000 the backends gave');
    expect(r.observed).toContain("tools/list: cacheScope public, widened from the backends' private");
  });
});

describe('the bound of an aggregate', () => {
  const [alpha, beta] = FleetSpecSchema.parse(FLEET).servers as [never, never];

  it('is the shortest ttl, private if any backend is (a 2025 backend gives 0, private)', () => {
    expect(boundOf([beta])).toEqual(BETA_HINT);
    expect(boundOf([alpha, beta])).toEqual({ ttlMs: 0, cacheScope: 'private' });
  });

  it('missing or malformed hints are problems; lower and narrower are not', () => {
    expect(hintProblems('x', {}, BETA_HINT)).toEqual(['x: ttlMs missing', 'x: cacheScope missing']);
    expect(hintProblems('x', { ttlMs: -1, cacheScope: 'shared' }, BETA_HINT)).toEqual([
      'x: ttlMs -1',
      'x: cacheScope "shared"',
    ]);
    expect(hintProblems('x', { ttlMs: 1000, cacheScope: 'private' }, BETA_HINT)).toEqual([]);
  });
});

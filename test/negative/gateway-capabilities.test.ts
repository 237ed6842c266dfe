import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceFleet } from '../../harness/checks/fleet.js';
import { checkResults, referenceGateway } from '../helpers/checks.js';
import { limiter } from '../helpers/limiter.js';

/**
 * Capabilities both ways (gateway.capabilities-relayed, with
 * gateway.capabilities-honest beside it): what every server offers is
 * advertised, what is advertised is relayed to the right server. Each
 * reference-gateway defect trips exactly the check it targets. Needs
 * `npm run build` (the gateway runs from dist/).
 */

const HONEST = 'gateway.capabilities-honest';
const RELAYED = 'gateway.capabilities-relayed';
const limit = limiter(2);

const both = (defects: string[], extra = {}) =>
  limit(() => checkResults(referenceGateway(defects, extra), [HONEST, RELAYED]));

/** [defect, honest's status, relayed's status, what relayed's observation (or reason) shows]. */
const ROWS: Array<[string, string, string, RegExp]> = [
  ['completion-dropped', 'pass', 'fail', /completions not advertised \(offered by every server\)/],
  ['subscribe-dropped', 'pass', 'fail', /no notifications\/resources\/updated within 2000 ms/],
  // Advertised but -32601: honest reports it; relayed cannot judge the values and says so.
  ['capabilities-overclaimed', 'fail', 'blocked', /advertised but not served \(-32601\): completions/],
];

describe('capabilities both ways', () => {
  it('the reference gateway advertises and relays completions, logging and subscriptions', async () => {
    const r = await both([]);
    expect(r.get(HONEST)?.status, r.get(HONEST)?.observed).toBe('pass');
    const relayed = r.get(RELAYED);
    expect(relayed?.status, relayed?.reason ?? relayed?.observed).toBe('pass');
    expect(relayed?.observed).toMatch(/completion\/complete of alpha__greet who="al" → \["albert","alice"\]/);
    expect(relayed?.observed).toMatch(
      /completion\/complete of alpha:\/\/items\/\{id\} id="it" → \["item-1","item-2"\]/,
    );
    expect(relayed?.observed).toMatch(/logging\/setLevel accepted/);
    expect(relayed?.observed).toMatch(/subscribed to alpha:\/\/docs\/readme; alpha's update arrived/);
  });

  it.concurrent.each(ROWS)('with %s: honest %s, relayed %s', async (defect, honest, relayed, shows) => {
    const r = await both([defect]);
    expect(r.get(HONEST)?.status, r.get(HONEST)?.observed).toBe(honest);
    const got = r.get(RELAYED);
    expect(got?.status, got?.reason ?? got?.observed).toBe(relayed);
    expect(got?.reason ?? got?.observed).toMatch(shows);
    if (relayed === 'blocked') expect(got?.blockedBy).toBe(HONEST);
  });

  describe('a capability only some servers offer', () => {
    let dir: string;
    let fleetFile: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'mcp-harness-caps-'));
      fleetFile = join(dir, 'fleet.json');
      const fleet = conformanceFleet(['alpha', 'beta']);
      const servers = (fleet.servers ?? []).map((s) =>
        s.name === 'alpha'
          ? s
          : { ...s, capabilities: { completions: false, subscribe: true, logging: true } },
      );
      await writeFile(fleetFile, JSON.stringify({ ...fleet, servers }));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('need not be advertised: a gateway that leaves completions out passes', async () => {
      const r = await both(['completion-dropped'], { checks: { fleet: fleetFile } });
      const got = r.get(RELAYED);
      expect(got?.status, got?.reason ?? got?.observed).toBe('pass');
      expect(got?.observed).toMatch(/completions not advertised \(offered by alpha\)/);
    });

    it('is relayed to the server that offers it when advertised', async () => {
      const r = await both([], { checks: { fleet: fleetFile } });
      const got = r.get(RELAYED);
      expect(got?.status, got?.reason ?? got?.observed).toBe('pass');
      expect(got?.observed).toMatch(/→ \["albert","alice"\] \(alpha's values\)/);
    });
  });
});

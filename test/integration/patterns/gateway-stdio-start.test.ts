import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { conformanceFleet } from '../../../harness/checks/fleet.js';
import { ROOT } from '../../helpers/cli.js';
import { type GatewayRig, startRig, textOf } from './gateway-setup.js';

/**
 * A stdio server is a process to start: one that takes longer than a call's
 * deadline to answer initialize (a loaded machine, a big runtime) is not
 * killed and respawned at every call. Callers give up at their deadline; the
 * start goes on, and once the server is up it serves, from the one process.
 */

let rig: GatewayRig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

describe('reference gateway: a slow-starting stdio server', () => {
  it('is served once it is up, by the process it started first', async () => {
    rig = await startRig(conformanceFleet(['beta']), {
      gateway: { timeoutMs: 1000 },
      extra: {
        slow: {
          command: process.execPath,
          args: [
            join(ROOT, 'test/fixtures/gateway/slow-start.mjs'),
            'mock',
            '--fleet',
            'conformance',
            '--server',
            'gamma',
            '--stdio',
          ],
          env: { SLOW_START_MS: '2500' },
        },
      },
    });
    const client = await rig.connect();
    const pids = new Set<number>();
    let answer = '';
    const until = Date.now() + 12_000;
    while (Date.now() < until) {
      for (const pid of rig.gateway.downstreamPids()) pids.add(pid);
      const r = await client
        .callTool({ name: 'slow__status', arguments: {} }, { timeout: 3000 })
        .catch(() => undefined);
      if (r && !r.isError) {
        answer = textOf(r);
        break;
      }
      await new Promise((res) => setTimeout(res, 200));
    }
    for (const pid of rig.gateway.downstreamPids()) pids.add(pid);
    expect(answer).toBe('gamma ok');
    expect(pids.size).toBe(1);
  }, 20_000);
});

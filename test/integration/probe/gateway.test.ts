import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { runRound } from '../../../probes/index.js';
import { startFleet } from '../../helpers/mocks.js';
import { type Child, startReferenceGateway } from '../dashboards/e2e-parts.js';
import { config, PROBE_FLEET, type TempDir, tempDir } from './fixtures.js';

/** Probes through the reference gateway (compiled: `npm run build` first) in front of real mocks. */
let fleet: Fleet;
let gateway: Child;
let tmp: TempDir;

beforeAll(async () => {
  fleet = await startFleet(PROBE_FLEET, { only: ['web', 'legacy'] });
  tmp = await tempDir();
  gateway = await startReferenceGateway(await fleet.writeMcpServersFile(`${tmp.dir}/mcpServers.json`));
});
afterAll(async () => {
  await gateway?.stop();
  await fleet?.stop();
  await tmp?.remove();
});

describe('probing a gateway', () => {
  it('lists the aggregated catalogue, calls through it, and times out on a hung backend', async () => {
    const cfg = await config({
      modules: {
        echo: {
          kind: 'call',
          tool: 'web__echo',
          arguments: { message: 'via gw' },
          expect: { text: 'echo: via gw' },
        },
        hung: { kind: 'call', tool: 'web__slow' },
        pinged: { kind: 'call', tool: 'legacy__ping', expect: { text: { equals: 'pong' } } },
      },
      targets: [
        {
          name: 'gw',
          endpoint: { transport: 'http', url: gateway.url },
          modules: ['handshake', 'tools', 'echo', 'pinged', 'hung'],
          timeout: '3s',
        },
      ],
    });
    const [handshake, tools, echo, pinged, hung] = await runRound(cfg);
    expect(handshake, JSON.stringify(handshake)).toMatchObject({ success: true });
    expect(tools).toMatchObject({ success: true, tools: 6 });
    expect(echo, JSON.stringify(echo)).toMatchObject({ success: true });
    expect(pinged, JSON.stringify(pinged)).toMatchObject({ success: true });
    expect(hung).toMatchObject({ success: false, kind: 'timeout' });
    const calls = await fleet.mocks.get('web')!.calls({ tool: 'echo' });
    expect(calls.some((c) => JSON.stringify(c).includes('via gw'))).toBe(true);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFleet } from '../../mocks/server/fleet.js';
import { nowUs } from '../measure/clock.js';
import type { Endpoint } from '../schema/target.js';
import { connectEndpoint } from '../target/connect.js';
import { endpointOf } from './fleet-endpoints.js';

/**
 * The harness's own cost of one call over a transport: its SDK client, the
 * loopback hop and the server's framing, i.e. end-to-end minus the service
 * time a mock records for a tool that does nothing. Subtracting it from
 * end-to-end − downstream leaves what the SUT adds (its processing and its
 * own downstream hop). Measured against a calibration mock of the same
 * transport, in the same run, as a median.
 */
export type Baselines = Partial<Record<Endpoint['transport'], number>>;

const WARMUP = 15;
const SAMPLES = 40;

export async function calibrate(transports: ReadonlySet<Endpoint['transport']>): Promise<Baselines> {
  const out: Baselines = {};
  for (const transport of transports) out[transport] = await baselineOf(transport);
  return out;
}

async function baselineOf(transport: Endpoint['transport']): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-harness-calibrate-'));
  const fleet = createFleet({
    servers: [{ name: 'calibration', transport, tools: [{ name: 'noop', result: { text: 'ok' } }] }],
  });
  try {
    await fleet.start();
    await fleet.writeMcpServersFile(join(dir, 'mcpServers.json'));
    const entry = fleet.mcpServers().mcpServers.calibration;
    if (!entry) throw new Error('calibration mock did not start');
    const mock = fleet.mocks.get('calibration');
    const conn = await connectEndpoint(endpointOf(entry), { timeoutMs: 10_000, label: 'calibration' });
    try {
      const diffs: number[] = [];
      for (let i = 0; i < WARMUP + SAMPLES; i++) {
        const t0 = nowUs();
        await conn.client.callTool({ name: 'noop', arguments: { i } });
        const t1 = nowUs();
        if (i < WARMUP) continue;
        const rec = (await mock?.calls({ tool: 'noop' }))?.find((r) => r.arguments?.i === i);
        if (rec?.completedUs !== undefined) diffs.push(t1 - t0 - (rec.completedUs - rec.receivedUs));
      }
      diffs.sort((a, b) => a - b);
      return diffs[Math.floor(diffs.length / 2)] ?? 0;
    } finally {
      await conn.close();
    }
  } finally {
    await fleet.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

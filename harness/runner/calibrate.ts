import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFleet, type Fleet } from '../../mocks/server/fleet.js';
import { nowUs } from '../measure/clock.js';
import type { Endpoint } from '../schema/target.js';
import { type Connection, connectEndpoint } from '../target/connect.js';
import { endpointOf } from './fleet-endpoints.js';

/**
 * The harness's own cost of one call over a transport: its SDK client, the
 * loopback hop and the server's framing, i.e. end-to-end minus the service
 * time a mock records for a tool that does nothing. Subtracting it from
 * end-to-end − downstream leaves what the SUT adds (its processing and its
 * own downstream hop). A calibration mock per transport is measured before
 * and after the steps, in the same run, so a machine whose load changes
 * during the run still gets a fair median.
 */
export type Baselines = Partial<Record<Endpoint['transport'], number>>;

export interface Calibration {
  /** Take `samples` measurements per transport (after a warm-up on the first round). */
  measure(samples?: number): Promise<void>;
  /** Median per transport over every round so far. */
  baselines(): Baselines;
  close(): Promise<void>;
}

const WARMUP = 15;

interface Probe {
  fleet: Fleet;
  conn: Connection;
  diffs: number[];
  warm: boolean;
}

export async function startCalibration(transports: ReadonlySet<Endpoint['transport']>): Promise<Calibration> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-harness-calibrate-'));
  const probes = new Map<Endpoint['transport'], Probe>();
  const close = async () => {
    for (const p of probes.values()) {
      await p.conn.close().catch(() => {});
      await p.fleet.stop().catch(() => {});
    }
    probes.clear();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const transport of transports) probes.set(transport, await openProbe(transport, dir));
  } catch (e) {
    await close();
    throw e;
  }
  let seq = 0;
  return {
    async measure(samples = 40) {
      for (const p of probes.values()) {
        const mock = p.fleet.mocks.get('calibration');
        const rounds = samples + (p.warm ? 0 : WARMUP);
        for (let i = 0; i < rounds; i++) {
          const n = ++seq;
          const t0 = nowUs();
          await p.conn.client.callTool({ name: 'noop', arguments: { n } });
          const t1 = nowUs();
          if (!p.warm && i < WARMUP) continue;
          const rec = (await mock?.calls({ tool: 'noop' }))?.find((r) => r.arguments?.n === n);
          if (rec?.completedUs !== undefined) p.diffs.push(t1 - t0 - (rec.completedUs - rec.receivedUs));
        }
        p.warm = true;
        await mock?.clearCalls();
      }
    },
    baselines() {
      const out: Baselines = {};
      for (const [transport, p] of probes) {
        const sorted = [...p.diffs].sort((a, b) => a - b);
        if (sorted.length > 0) out[transport] = sorted[Math.floor(sorted.length / 2)] as number;
      }
      return out;
    },
    close,
  };
}

async function openProbe(transport: Endpoint['transport'], dir: string): Promise<Probe> {
  const fleet = createFleet({
    servers: [{ name: 'calibration', transport, tools: [{ name: 'noop', result: { text: 'ok' } }] }],
  });
  try {
    await fleet.start();
    await fleet.writeMcpServersFile(join(dir, `${transport}.json`));
    const entry = fleet.mcpServers().mcpServers.calibration;
    if (!entry) throw new Error('calibration mock did not start');
    const conn = await connectEndpoint(endpointOf(entry), { timeoutMs: 10_000, label: 'calibration' });
    return { fleet, conn, diffs: [], warm: false };
  } catch (e) {
    await fleet.stop();
    throw e;
  }
}

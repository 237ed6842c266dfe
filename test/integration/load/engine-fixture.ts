import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '../../../harness/config/load.js';
import { type FleetProcess, startFleetProcess } from '../../../harness/load/fleet-process.js';
import { type FleetInput, FleetSpecSchema } from '../../../harness/schema/fleet.js';
import type { HistogramSummary } from '../../../harness/schema/histogram.js';
import type { LoadReport } from '../../../harness/schema/load.js';

/**
 * A mock fleet for load tests in its own process (as runLoad starts it), its
 * file for `fleet:`, and its control URL for `fleetAt:` (so several runs in a
 * file share one fleet). `stop` ends the process and removes the files.
 */
export interface LoadFleet extends FleetProcess {
  file: string;
  dispose(): Promise<void>;
}

export async function startLoadFleet(input: FleetInput): Promise<LoadFleet> {
  const dir = await mkdtemp(join(tmpdir(), 'load-test-'));
  const file = join(dir, 'fleet.json');
  await writeFile(file, JSON.stringify(input));
  const spec = validate(FleetSpecSchema, input, 'fleet');
  try {
    const p = await startFleetProcess({ file }, spec, dir);
    return {
      ...p,
      file,
      async dispose() {
        await p.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** One echo tool on one mock per transport asked for. */
export function echoFleet(...transports: Array<'http' | 'sse' | 'stdio'>): FleetInput {
  return {
    servers: transports.map((transport, i) => ({
      name: transports.length === 1 ? 'm' : `${transport}${i}`,
      transport,
      tools: [{ name: 'echo', result: { text: 'ok' } }],
    })),
  };
}

export const MESH = { pattern: 'mesh', fromFleet: true } as const;

/** The report's histogram of `metric` with exactly these tags. */
export function hist(
  report: LoadReport,
  metric: string,
  tags: Record<string, string> = {},
): HistogramSummary {
  const h = report.histograms.find(
    (x) => x.metric === metric && JSON.stringify(x.tags) === JSON.stringify(tags),
  );
  if (!h)
    throw new Error(`no ${metric} ${JSON.stringify(tags)} in ${report.histograms.map((x) => x.metric)}`);
  return h;
}

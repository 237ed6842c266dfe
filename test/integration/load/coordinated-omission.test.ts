import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../../harness/load/index.js';
import { RESPONSE_METRIC, SERVICE_METRIC } from '../../../harness/load/recorder.js';
import type { LoadReport } from '../../../harness/schema/load.js';
import { echoFleet, hist, type LoadFleet, MESH, startLoadFleet } from './engine-fixture.js';

/**
 * The mock's whole process stalls for 1 s once (SIGSTOP … SIGCONT), 1 s into
 * a 3 s run. Open loop at 200 req/s: the requests scheduled during the stall
 * keep their intended start, so the response time shows the stall. Closed
 * loop: the one session waits with its one request, sends nothing meanwhile,
 * and the stall is one slow request among many (coordinated omission).
 */
describe('coordinated omission', () => {
  let fleet: LoadFleet;
  beforeAll(async () => {
    fleet = await startLoadFleet(echoFleet('http'));
  });
  afterAll(() => fleet?.dispose());

  const stalledRun = async (extra: Record<string, unknown>): Promise<LoadReport> => {
    let timers: NodeJS.Timeout[] = [];
    try {
      return await runLoad(
        {
          target: MESH,
          fleet: fleet.file,
          fleetAt: fleet.controlUrl,
          tool: 'm.echo',
          durationMs: 3000,
          workers: 1,
          ...extra,
        },
        {
          onStart: () => {
            timers = [
              setTimeout(() => process.kill(fleet.pid, 'SIGSTOP'), 1000),
              setTimeout(() => process.kill(fleet.pid, 'SIGCONT'), 2000),
            ];
          },
        },
      );
    } finally {
      for (const t of timers) clearTimeout(t);
      process.kill(fleet.pid, 'SIGCONT');
    }
  };

  it('open loop shows the stall in response time; closed loop hides it', async () => {
    const open = await stalledRun({ rate: 200 });
    const closed = await stalledRun({ connections: 1 });
    const openResponse = hist(open, RESPONSE_METRIC);
    const openService = hist(open, SERVICE_METRIC);
    const closedResponse = hist(closed, RESPONSE_METRIC);
    expect(open.completed).toBeGreaterThan(500);
    expect(openResponse.p99).toBeGreaterThanOrEqual(900_000);
    expect(openService.p50).toBeLessThan(150_000);
    // The closed loop saw the same 1 s stall as one request: its p99 stays far below.
    expect(closedResponse.max).toBeGreaterThanOrEqual(900_000);
    expect(closedResponse.p99).toBeLessThan(openResponse.p99 / 4);
  });
});

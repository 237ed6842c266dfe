import { join } from 'node:path';
import type { Fleet } from '../../mocks/server/fleet.js';
import { calibrationFleet, placementOf, responseModeOf } from '../runner/calibration-fleet.js';
import { fleetEndpoints } from '../runner/fleet-endpoints.js';
import type { Endpoint } from '../schema/target.js';
import { harnessCost, matchSamples, sampledRecords } from './attribution.js';
import type { IterationStep, WorkerTask } from './task.js';
import { runWorkers } from './workers.js';

/**
 * The harness's own client cost at the same load: the same executor, rate or
 * sessions, workers and transport, for a short phase against a bare
 * calibration mock out of this process (hosted by the fleet's process when the
 * fleet runs in one, so as warm as the mocks behind the SUT; else its own),
 * answering as the target's endpoint does: JSON or SSE. Cost per call = service time − the mock's own time,
 * matched by traceparent; what the run subtracts is its median.
 */
export const CALIBRATION_MS = 2_000;

export async function calibrateAtLoad(
  tasks: readonly WorkerTask[],
  endpoint: Endpoint,
  fleet: Fleet,
  dir: string,
): Promise<{ p50: number; spread: number; count: number }> {
  const response = await responseModeOf(endpoint, fleet);
  // Never on this process's event loop: the generator's (no mesh placement here).
  const placement = placementOf('load', fleet, []);
  const cal = await calibrationFleet(endpoint.transport, placement, dir, response, fleet);
  try {
    await cal.writeMcpServersFile(join(dir, 'calibration.mcpServers.json'));
    const calEndpoint = fleetEndpoints(cal).calibration as Endpoint;
    const calls = countCalls(tasks[0]?.steps ?? []);
    const steps: IterationStep[] = Array.from({ length: Math.max(1, calls) }, () => ({
      kind: 'call',
      step: 'calibration',
      logical: 'calibration.noop',
      client: 'calibration',
      tool: 'noop',
      args: {},
      refs: false,
    }));
    const calTasks = tasks.map((t) => ({
      ...t,
      options: { ...t.options, durationMs: Math.min(t.options.durationMs, CALIBRATION_MS) },
      endpoints: { calibration: calEndpoint },
      steps,
      perStep: false,
    }));
    const result = await runWorkers(calTasks, {});
    const samples = result.done.flatMap((d) => d.samples);
    const byTrace = await sampledRecords(cal, [...new Set(tasks.map((t) => t.tracePrefix))]);
    return harnessCost(matchSamples(samples, byTrace));
  } finally {
    await cal.stop();
  }
}

/** Calls one iteration makes (repeats counted). */
export function countCalls(steps: readonly IterationStep[]): number {
  let n = 0;
  for (const s of steps) {
    if (s.kind === 'call') n++;
    else if (s.kind !== 'wait') n += countCalls(s.steps) * (s.kind === 'repeat' ? s.times : 1);
  }
  return n;
}

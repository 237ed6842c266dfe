import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../../harness/load/index.js';
import { RESPONSE_METRIC, SERVICE_METRIC } from '../../../harness/load/recorder.js';
import { LoadReportSchema } from '../../../harness/schema/load.js';
import { echoFleet, hist, type LoadFleet, MESH, startLoadFleet } from './engine-fixture.js';

// Every executor against one mock in its own process (Streamable HTTP, the undici hot path).
describe('load executors', () => {
  let fleet: LoadFleet;
  beforeAll(async () => {
    fleet = await startLoadFleet(echoFleet('http'));
  });
  afterAll(() => fleet?.dispose());
  const base = () => ({ target: MESH, fleet: fleet.file, fleetAt: fleet.controlUrl, tool: 'm.echo' });

  it('constant-arrival-rate sends the schedule, split over two workers, with a per-second series', async () => {
    const seconds: number[] = [];
    const r = await runLoad(
      { ...base(), rate: 100, durationMs: 1500, workers: 2 },
      { onSecond: (s) => seconds.push(s.second) },
    );
    // The report is exactly the contract reporters and merge read (strict: no missing or extra fields).
    expect(LoadReportSchema.safeParse(r).error?.issues).toBeUndefined();
    expect(r.executor).toBe('constant-arrival-rate');
    expect(r.scheduled).toBe(150);
    expect(r.completed + r.dropped).toBe(150);
    expect(r.errors.transport + r.errors.jsonrpc + r.errors.http + r.errors.timeout).toBe(0);
    expect(r.targetRate).toBe(100);
    expect(hist(r, RESPONSE_METRIC).count).toBe(r.completed);
    expect(hist(r, SERVICE_METRIC).count).toBe(r.completed);
    // Response time counts from the intended start: never below the service time.
    expect(hist(r, RESPONSE_METRIC).p50).toBeGreaterThanOrEqual(hist(r, SERVICE_METRIC).p50 * 0.99);
    expect(seconds.slice(0, 2)).toEqual([0, 1]);
    expect(r.seconds.reduce((n, s) => n + s.requests, 0)).toBe(r.completed);
    expect(r.eras).toEqual({ '2025-11-25': 2 });
  });

  it('ramping-arrival-rate follows its stages (0 → 100/s over 0.5 s, then 100/s for 1 s)', async () => {
    const r = await runLoad({
      ...base(),
      executor: 'ramping-arrival-rate',
      stages: [
        { durationMs: 500, target: 100 },
        { durationMs: 1000, target: 100 },
      ],
      workers: 1,
    });
    // ∫rate = 0.5 s · 50/s + 1 s · 100/s = 125
    expect(r.scheduled).toBe(125);
    expect(r.completed + r.dropped).toBe(125);
    expect(r.targetRate).toBe(100);
  });

  it('constant-vus keeps one iteration in flight per session for the duration', async () => {
    const r = await runLoad({ ...base(), connections: 3, durationMs: 1000, workers: 2 });
    expect(r.executor).toBe('constant-vus');
    expect(r.completed).toBeGreaterThan(10);
    expect(r.dropped).toBe(0);
    expect(r.eras).toEqual({ '2025-11-25': 3 });
    // Closed loop: each iteration starts when it is sent.
    expect(hist(r, RESPONSE_METRIC).p50).toBe(hist(r, SERVICE_METRIC).p50);
  });

  it('per-session-iterations runs exactly iterations × sessions', async () => {
    const r = await runLoad({ ...base(), connections: 3, iterations: 7, durationMs: 10_000, workers: 2 });
    expect(r.executor).toBe('per-session-iterations');
    expect(r.completed).toBe(21);
    expect(r.sent).toBe(21);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../../harness/load/index.js';
import { RESPONSE_METRIC, SERVICE_METRIC } from '../../../harness/load/recorder.js';
import { echoFleet, hist, type LoadFleet, MESH, startLoadFleet } from './engine-fixture.js';

// One fleet with a mock per transport; the mesh target routes each tool to its mock.
describe('load over each transport', () => {
  let fleet: LoadFleet;
  beforeAll(async () => {
    fleet = await startLoadFleet({
      servers: [
        ...echoFleet('http', 'sse', 'stdio').servers,
        {
          name: 'slow',
          transport: 'http',
          tools: [{ name: 'wait', result: { text: 'ok' } }],
          faults: [{ type: 'latency', ms: 200 }],
        },
      ],
    });
  });
  afterAll(() => fleet?.dispose());
  const base = () => ({ target: MESH, fleet: fleet.file, fleetAt: fleet.controlUrl, workers: 1 });

  for (const [tool, transport] of [
    ['http0.echo', 'Streamable HTTP (undici hot path)'],
    ['sse1.echo', 'legacy HTTP+SSE (SDK transport)'],
    ['stdio2.echo', 'stdio (SDK transport, a process per session)'],
  ] as const) {
    it(`open loop over ${transport}`, async () => {
      const r = await runLoad({ ...base(), tool, rate: 50, durationMs: 1000, sessions: 2 });
      expect(r.scheduled).toBe(50);
      expect(r.completed).toBe(50);
      expect(r.errors.transport + r.errors.timeout + r.errors.jsonrpc + r.errors.http).toBe(0);
      expect(hist(r, SERVICE_METRIC).count).toBe(50);
      expect(Object.values(r.eras).reduce((a, b) => a + b, 0)).toBe(2);
    });
  }

  it('the Streamable HTTP path through the SDK client gives the same answers', async () => {
    const r = await runLoad({
      ...base(),
      tool: 'http0.echo',
      connections: 2,
      durationMs: 500,
      hotPath: false,
    });
    expect(r.completed).toBeGreaterThan(5);
    expect(r.errors.transport).toBe(0);
  });

  it('a scheduled request that would exceed max-in-flight is dropped, never sent late', async () => {
    // 50/s against 200 ms answers needs ~10 in flight; 2 are allowed.
    const r = await runLoad({ ...base(), tool: 'slow.wait', rate: 50, durationMs: 1000, maxInFlight: 2 });
    expect(r.scheduled).toBe(50);
    expect(r.dropped).toBeGreaterThan(30);
    expect(r.sent + r.dropped).toBe(r.scheduled);
    expect(r.completed).toBe(r.sent);
    expect(r.seconds.reduce((n, s) => n + s.dropped, 0)).toBe(r.dropped);
    // What was sent went out on schedule: its response time is its service time, not a queue.
    expect(hist(r, RESPONSE_METRIC).p99).toBeLessThan(400_000);
  });
});

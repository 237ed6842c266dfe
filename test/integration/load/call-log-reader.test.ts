import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIntervalMs } from '../../../harness/load/call-log-reader.js';
import { runLoad } from '../../../harness/load/index.js';
import { type LoadFleet, MESH, startLoadFleet } from './engine-fixture.js';

/**
 * A fleet whose call logs keep only their newest 40 records, and a run that
 * samples every one of ~200 calls: read once at the end, at most 40 samples
 * could be matched; read while the run goes, (nearly) all are.
 */
describe('load: call logs read during the run', () => {
  let fleet: LoadFleet;
  const saved = process.env.MCP_HARNESS_CALL_LOG_SIZE;
  beforeAll(async () => {
    process.env.MCP_HARNESS_CALL_LOG_SIZE = '40';
    fleet = await startLoadFleet({
      servers: [{ name: 'm', transport: 'http', tools: [{ name: 'echo', result: { text: 'ok' } }] }],
    });
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.MCP_HARNESS_CALL_LOG_SIZE;
    else process.env.MCP_HARNESS_CALL_LOG_SIZE = saved;
    await fleet?.dispose();
  });

  it('matches samples far beyond what one call log holds', async () => {
    // Twice per filling of a 40-record log at 100 records/s.
    expect(readIntervalMs(100)).toBe(200);
    const r = await runLoad({
      target: MESH,
      fleet: fleet.file,
      fleetAt: fleet.controlUrl,
      tool: 'm.echo',
      rate: 100,
      durationMs: 2000,
      workers: 1,
      sampleRate: 100,
      attribution: true,
    });
    const a = r.attribution;
    expect(a?.sampled).toBeGreaterThanOrEqual(150);
    expect(a?.matched).toBeGreaterThan(40 * 2);
    expect(a?.matched).toBeGreaterThanOrEqual(Math.floor((a?.sampled ?? 0) * 0.9));
  }, 20_000);

  it('reads between every 200 ms and every 30 s, once a second when the rate is unknown', () => {
    expect(readIntervalMs(undefined)).toBe(1000);
    expect(readIntervalMs(1e9)).toBe(200);
    expect(readIntervalMs(0.001)).toBe(30_000);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../../harness/load/index.js';
import { SERVICE_METRIC } from '../../../harness/load/recorder.js';
import { LoadReportSchema } from '../../../harness/schema/load.js';
import { hist, type LoadFleet, startLoadFleet } from './engine-fixture.js';

/**
 * The reference gateway (launched by its target file, in its own process)
 * in front of a mock that takes 20 ms per call: under load the sampled calls
 * are found in the mock's call log by traceparent, so the step's service
 * time splits into downstream (≈ the mock's 20 ms) and the gateway's own
 * signed overhead, with the harness's cost calibrated at the same load.
 */
describe('per-hop attribution under load', () => {
  let fleet: LoadFleet;
  beforeAll(async () => {
    fleet = await startLoadFleet({
      servers: [
        {
          name: 'm',
          transport: 'http',
          tools: [{ name: 'echo', result: { text: 'ok' } }],
          faults: [{ type: 'latency', ms: 20 }],
        },
      ],
    });
  });
  afterAll(() => fleet?.dispose());

  it('a gateway target: downstream from the call logs, the gateway’s overhead signed, the harness cost calibrated', async () => {
    const r = await runLoad({
      target: 'scenarios/targets/reference-gateway.yaml',
      fleet: fleet.file,
      fleetAt: fleet.controlUrl,
      tool: 'm.echo',
      rate: 40,
      durationMs: 1500,
      workers: 1,
      sampleRate: 40,
    });
    // The report is exactly the contract reporters and merge read (strict: no missing or extra fields).
    expect(LoadReportSchema.safeParse(r).error?.issues).toBeUndefined();
    expect(r.pattern).toBe('gateway');
    expect(r.errors.transport + r.errors.http + r.errors.jsonrpc + r.errors.timeout).toBe(0);
    const a = r.attribution;
    expect(a?.method).toBe('traceparent');
    expect(a?.matched).toBeGreaterThan(40); // every sampled call went through the gateway to the mock
    expect(a?.matched).toBe(a?.sampled);
    expect(a?.calibrationCalls).toBeGreaterThan(20);
    const downstream = hist(r, 'downstream_duration', { step: 'm.echo' });
    expect(downstream.p50).toBeGreaterThanOrEqual(19_000);
    expect(downstream.p50).toBeLessThan(60_000);
    const overhead = hist(r, 'overhead', { step: 'm.echo' });
    expect(overhead.signed).toBeDefined();
    expect(overhead.hdrNegative).toBeDefined();
    expect(overhead.errorUs).toBe(a?.harnessCostSpreadUs);
    // The gateway's own time is a fraction of what it forwards, and the split adds up.
    expect(Math.abs(overhead.signed?.p50 ?? Number.NaN)).toBeLessThan(downstream.p50);
    expect(hist(r, SERVICE_METRIC).p50).toBeGreaterThanOrEqual(downstream.p50);
  });

  it('no attribution for a mesh unless asked', async () => {
    const r = await runLoad({
      target: { pattern: 'mesh', fromFleet: true },
      fleet: fleet.file,
      fleetAt: fleet.controlUrl,
      tool: 'm.echo',
      connections: 2,
      durationMs: 300,
      workers: 1,
    });
    expect(r.attribution).toBeUndefined();
    expect(r.histograms.some((h) => h.metric === 'overhead')).toBe(false);
  });
});

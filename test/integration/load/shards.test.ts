import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../../harness/load/index.js';
import { mergeLoadReportFiles } from '../../../harness/load/merge.js';
import { loadExitCode } from '../../../harness/load/thresholds.js';
import { LatencyHistogram } from '../../../harness/measure/histogram.js';
import { loadJsonReporter } from '../../../harness/report/load-json.js';
import { LoadOptionsSchema, type LoadReport, LoadReportSchema } from '../../../harness/schema/load.js';
import { echoFleet, type LoadFleet, MESH, startLoadFleet } from './engine-fixture.js';

// Three shards of one open-loop run, at the same time, against one mock in its own process;
// their JSON reports merged as `mcp-harness merge` does.
describe('load shards', () => {
  let fleet: LoadFleet;
  let dir: string;
  beforeAll(async () => {
    fleet = await startLoadFleet(echoFleet('http'));
    dir = await mkdtemp(join(tmpdir(), 'load-shards-'));
  });
  afterAll(async () => {
    await fleet?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('merges into one report whose percentiles are the HDR merge of the shards', async () => {
    const whole = LoadOptionsSchema.parse({
      target: MESH,
      fleet: fleet.file,
      fleetAt: fleet.controlUrl,
      tool: 'm.echo',
      rate: 90,
      durationMs: 1500,
      workers: 1,
      maxInFlight: 30,
      thresholds: ['iterations:count>=100', 'p(99)<10s'],
    });
    // runLoad itself splits the whole run's options by `shard` and evaluates the thresholds.
    const shards = await Promise.all(
      [1, 2, 3].map((index) => runLoad({ ...whole, shard: { index, count: 3 } })),
    );
    for (const [i, s] of shards.entries()) {
      expect(s.shard).toEqual({ index: i + 1, count: 3 });
      // Each shard runs a third of the schedule: 30/s for 1.5 s.
      expect(s.scheduled).toBe(45);
      expect(s.completed + s.dropped).toBe(45);
      expect(s.options).toMatchObject({ rate: 30, maxInFlight: 10 });
      // On its own a shard does not reach the whole run's iteration count: runLoad says so.
      expect(s.thresholds.map((t) => [t.expression, t.pass])).toEqual([
        ['iterations:count>=100', false],
        ['p(99)<10s', true],
      ]);
      expect(loadExitCode(s)).toBe(1);
    }
    const files = await Promise.all(
      shards.map(async (s, i) => {
        const path = join(dir, `shard-${i + 1}.json`);
        await writeFile(path, loadJsonReporter.render(s));
        return path;
      }),
    );
    const merged = LoadReportSchema.parse(await mergeLoadReportFiles(files));
    expect(merged.shardsMerged).toBe(3);
    expect(merged.shard).toBeUndefined();
    expect(merged.scheduled).toBe(135);
    expect(merged.completed).toBe(shards.reduce((n, s) => n + s.completed, 0));
    expect(merged.targetRate).toBeCloseTo(90, 9);
    expect(merged.options).toMatchObject({ rate: 90, maxInFlight: 30 });
    for (const metric of ['mcp_harness_load_response_time', 'mcp_harness_load_service_time']) {
      const one = LatencyHistogram.create();
      for (const s of shards) one.merge(LatencyHistogram.decode(histogram(s, metric).hdr));
      const h = histogram(merged, metric);
      expect(h.count).toBe(merged.completed);
      expect(h).toMatchObject(one.summary());
      const decoded = LatencyHistogram.decode(h.hdr);
      for (const p of [10, 50, 75, 90, 99, 99.9, 100]) expect(decoded.percentile(p)).toBe(one.percentile(p));
    }
    // The whole run's thresholds hold on the merge.
    expect(merged.thresholds.map((t) => [t.expression, t.pass])).toEqual([
      ['iterations:count>=100', true],
      ['p(99)<10s', true],
    ]);
    expect(merged.seconds.reduce((n, s) => n + s.requests, 0)).toBe(merged.completed);
  }, 30_000);

  it('refuses a shard the whole run cannot be split into, before anything starts', async () => {
    const err = await runLoad({
      target: MESH,
      fleet: fleet.file,
      fleetAt: fleet.controlUrl,
      tool: 'm.echo',
      connections: 2,
      durationMs: 500,
      shard: { index: 1, count: 3 },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 2 });
    expect((err as { problems: unknown[] }).problems).toEqual([
      expect.objectContaining({ message: expect.stringContaining('2 cannot be split into 3 shards') }),
    ]);
  });
});

function histogram(report: LoadReport, metric: string) {
  const h = report.histograms.find((x) => x.metric === metric && Object.keys(x.tags).length === 0);
  if (!h) throw new Error(`no ${metric} in the report`);
  return h;
}

import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../harness/errors.js';
import { mergeLoadReports } from '../../../harness/load/merge.js';
import { LatencyHistogram } from '../../../harness/measure/histogram.js';
import { type LoadReport, LoadReportSchema } from '../../../harness/schema/load.js';
import { durations, loadReportOf } from '../../helpers/load-report.js';

function second(n: number, requests: number, p99: number): LoadReport['seconds'][number] {
  return {
    second: n,
    requests,
    ok: requests - 1,
    dropped: 0,
    errors: { isError: 1, jsonrpc: 0, http: 0, timeout: 0, transport: 0, detail: {} },
    responseP50Us: p99 / 2,
    responseP99Us: p99,
  };
}

describe('mergeLoadReports', () => {
  it('gives the percentiles of one histogram holding every value (HDR merge)', () => {
    const parts = [durations(3000, 1), durations(1000, 2), durations(5000, 3)];
    const reports = parts.map((responseUs, i) =>
      loadReportOf({
        responseUs,
        overheadUs: responseUs.map((v) => v - 1_000_000),
        shard: { index: i + 1, count: 3 },
      }),
    );
    const merged = LoadReportSchema.parse(mergeLoadReports(reports));
    const one = LatencyHistogram.create();
    for (const us of parts.flat()) one.record(us);
    const h = merged.histograms.find((x) => x.metric === 'mcp_harness_load_response_time');
    expect(h).toMatchObject(one.summary());
    const decoded = LatencyHistogram.decode(h?.hdr ?? '');
    for (const p of [0, 1, 25, 50, 90, 99, 99.9, 99.99, 100])
      expect(decoded.percentile(p)).toBe(one.percentile(p));
    // A signed histogram (overhead) keeps its negative part through the merge.
    const signed = LatencyHistogram.create({ signed: true });
    for (const us of parts.flat()) signed.record(us - 1_000_000);
    expect(merged.histograms.find((x) => x.metric === 'overhead')?.signed).toEqual(signed.signedSummary());
    expect(merged.shardsMerged).toBe(3);
    expect(merged.shard).toBeUndefined();
    expect(merged.completed).toBe(9000);
  });

  it('sums counters, errors by kind and detail, rates and eras', () => {
    const a = loadReportOf({
      responseUs: [1, 2],
      errors: { http: 2, detail: { '503': 2 } },
      dropped: 1,
      expectations: [{ step: 'fetch', expectation: 'text', passed: 2, failed: 1 }],
    });
    const b = loadReportOf({
      responseUs: [3],
      errors: { http: 1, jsonrpc: 1, detail: { '503': 1, '-32603': 1 } },
      expectations: [
        { step: 'fetch', expectation: 'text', passed: 4, failed: 0 },
        { step: 'a', expectation: 'outcome', passed: 1, failed: 0 },
      ],
    });
    const m = mergeLoadReports([a, b]);
    expect(m).toMatchObject({
      scheduled: 4,
      sent: 3,
      completed: 3,
      dropped: 1,
      achievedRate: 1.5,
      targetRate: 200,
    });
    expect(m.errors).toEqual({
      isError: 0,
      jsonrpc: 1,
      http: 3,
      timeout: 0,
      transport: 0,
      detail: { '503': 3, '-32603': 1 },
    });
    expect(m.eras).toEqual({ modern: 4 });
    expect(m.expectations).toEqual([
      { step: 'a', expectation: 'outcome', passed: 1, failed: 0 },
      { step: 'fetch', expectation: 'text', passed: 6, failed: 1 },
    ]);
    // The options are the whole run's: each shard's rate (its part) summed back.
    expect(m.options).toMatchObject({ rate: 200, tool: 'bench.echo' });
    expect(m.options.shard).toBeUndefined();
  });

  it('aligns per-second series on the wall clock and re-evaluates the thresholds on the merged data', () => {
    const a = loadReportOf({
      responseUs: [10_000, 20_000],
      startedAt: '2026-01-01T00:00:00.000Z',
      seconds: [second(0, 10, 900), second(1, 10, 1000)],
      thresholds: ['p(99)<15ms'],
    });
    const b = loadReportOf({
      responseUs: [1000],
      startedAt: '2026-01-01T00:00:01.000Z',
      seconds: [second(0, 5, 2000), second(1, 5, 100)],
    });
    const m = mergeLoadReports([a, b]);
    expect(m.seconds.map((s) => [s.second, s.requests, s.responseP99Us, s.errors.isError])).toEqual([
      [0, 10, 900, 1],
      [1, 15, 2000, 2],
      [2, 5, 100, 1],
    ]);
    expect(m.startedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(m.durationUs).toBe(3_000_000);
    // HDR precision: 20 ms reads back as the top of its bucket (within 0.1%).
    expect(m.thresholds).toEqual([{ expression: 'p(99)<15ms', pass: false, observed: '20.02ms' }]);
  });

  it('refuses reports of other runs and the same shard twice, listing every problem', () => {
    const a = loadReportOf({ responseUs: [1], shard: { index: 1, count: 2 } });
    const twin = loadReportOf({ responseUs: [1], shard: { index: 1, count: 2 } });
    const other = {
      ...loadReportOf({ responseUs: [1], shard: { index: 2, count: 3 } }),
      target: 'other.yaml',
    };
    try {
      mergeLoadReports([a, twin, other], ['a.json', 'twin.json', 'other.json']);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HarnessError);
      expect((e as HarnessError).exitCode).toBe(2);
      expect((e as HarnessError).problems).toEqual([
        { path: 'twin.json', message: 'shard 1/2 is also in a.json' },
        {
          path: 'other.json',
          message: "target 'other.yaml' differs from the first report's 'targets/gw.yaml'",
        },
        { path: 'other.json', message: 'shard 2/3 is not of the same 2-way split' },
      ]);
    }
  });
});

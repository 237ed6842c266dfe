import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../harness/measure/histogram.js';
import { HistogramSet, tagKey } from '../../../harness/measure/histogram-set.js';

/** Deterministic data: a linear congruential generator, log-uniform over 10 µs … 10 s. */
function latencies(n: number, seed: number): number[] {
  let s = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) % 2 ** 32;
    out.push(Math.round(10 * 10 ** ((s / 2 ** 32) * 6)));
  }
  return out;
}

/** The value at percentile p as HDR defines it: the smallest value with at least p% of samples ≤ it. */
function exactPercentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Within HDR's 3-significant-digit precision (one part in 1024, plus the unit of the lowest bucket). */
function expectNear(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected / 1000 + 1);
}

describe('LatencyHistogram', () => {
  it('is empty and zero before the first record', () => {
    const h = new LatencyHistogram();
    expect(h.summary()).toEqual({
      count: 0,
      min: 0,
      max: 0,
      mean: 0,
      p50: 0,
      p90: 0,
      p95: 0,
      p99: 0,
      p999: 0,
    });
  });

  it('reports percentiles of 1..10000 µs within HDR precision', () => {
    const h = new LatencyHistogram();
    for (let v = 1; v <= 10_000; v++) h.record(v);
    const s = h.summary();
    expect(s.count).toBe(10_000);
    expect(s.min).toBe(1);
    expectNear(s.max, 10_000);
    expectNear(s.mean, 5000.5);
    expectNear(s.p50, 5000);
    expectNear(s.p90, 9000);
    expectNear(s.p95, 9500);
    expectNear(s.p99, 9900);
    expectNear(s.p999, 9990);
    expectNear(h.stddev, 2886.75);
  });

  it('matches exact percentiles of skewed data within HDR precision', () => {
    const data = latencies(20_000, 42);
    const h = new LatencyHistogram();
    for (const v of data) h.record(v);
    const sorted = [...data].sort((a, b) => a - b);
    for (const p of [1, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100])
      expectNear(h.percentile(p), exactPercentile(sorted, p));
    expectNear(h.min, sorted[0]!);
  });

  it('keeps values exact below 2048 µs', () => {
    const h = new LatencyHistogram();
    for (const v of [1, 17, 999, 2047]) h.record(v);
    expect([h.percentile(25), h.percentile(50), h.percentile(75), h.percentile(100)]).toEqual([
      1, 17, 999, 2047,
    ]);
  });

  it('rounds fractional µs instead of truncating (1.6 records as 2)', () => {
    const h = new LatencyHistogram();
    h.record(1.6);
    expect(h.min).toBe(2);
    expect(h.max).toBe(2);
    const g = new LatencyHistogram();
    g.record(1.4);
    g.record(2.5);
    expect([g.min, g.max]).toEqual([1, 3]);
  });

  it('clamps negative values to 0 and rejects non-finite ones', () => {
    const h = new LatencyHistogram();
    h.record(-5);
    expect(h.count).toBe(1);
    expect(h.min).toBe(0);
    expect(() => h.record(Number.NaN)).toThrow(RangeError);
    expect(() => h.record(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => h.percentile(101)).toThrow(RangeError);
  });

  it('tracks one hour and grows beyond it', () => {
    const h = new LatencyHistogram();
    h.record(3_600_000_000);
    h.record(7_200_000_000);
    expect(h.count).toBe(2);
    expectNear(h.max, 7_200_000_000);
  });

  it('encode → decode → merge equals recording everything into one', () => {
    const a = latencies(5000, 1);
    const b = latencies(7000, 2);
    const ha = new LatencyHistogram();
    const hb = new LatencyHistogram();
    const all = new LatencyHistogram();
    for (const v of a) {
      ha.record(v);
      all.record(v);
    }
    for (const v of b) {
      hb.record(v);
      all.record(v);
    }
    const merged = LatencyHistogram.decode(ha.encode()).merge(LatencyHistogram.decode(hb.encode()));
    expect(merged.summary()).toEqual(all.summary());
    for (let p = 0; p <= 100; p += 2.5) expect(merged.percentile(p)).toBe(all.percentile(p));
    expect(merged.stddev).toBeCloseTo(all.stddev, 6);
    // The encoding is a compact base64 string, not a dump of every value.
    expect(ha.encode()).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(ha.encode().length).toBeLessThan(4000);
  });

  it('keeps a decoded histogram growable', () => {
    const small = new LatencyHistogram();
    small.record(10);
    const decoded = LatencyHistogram.decode(small.encode());
    decoded.record(10 * 3_600_000_000);
    expect(decoded.count).toBe(2);
  });

  it('clone is independent of the original', () => {
    const h = new LatencyHistogram();
    h.record(100);
    const c = h.clone();
    c.record(200);
    expect([h.count, c.count]).toEqual([1, 2]);
  });
});

describe('HistogramSet', () => {
  it('keys by metric and tag set, whatever the tag order', () => {
    const set = new HistogramSet();
    set.record('step_duration', { step: 'a', target: 'gw' }, 100);
    set.record('step_duration', { target: 'gw', step: 'a' }, 200);
    set.record('step_duration', { step: 'b', target: 'gw' }, 300);
    set.record('overhead', { step: 'a', target: 'gw' }, 50);
    const entries = set.entries();
    expect(entries.map((e) => [e.metric, e.tags, e.histogram.count])).toEqual([
      ['step_duration', { step: 'a', target: 'gw' }, 2],
      ['step_duration', { step: 'b', target: 'gw' }, 1],
      ['overhead', { step: 'a', target: 'gw' }, 1],
    ]);
    expect(tagKey({ z: '1', a: '2' })).toBe('a=2,z=1');
  });

  it('does not alias the caller tags object', () => {
    const set = new HistogramSet();
    const tags = { step: 'a' };
    set.record('m', tags, 1);
    tags.step = 'changed';
    expect(set.entries()[0]!.tags).toEqual({ step: 'a' });
  });

  it('select merges every entry matching a tag subset', () => {
    const set = new HistogramSet();
    set.record('step_duration', { step: 'fetch', target: 'a' }, 100);
    set.record('step_duration', { step: 'fetch', target: 'b' }, 300);
    set.record('step_duration', { step: 'list', target: 'a' }, 900);
    expect(set.select('step_duration', { step: 'fetch' })!.summary()).toMatchObject({
      count: 2,
      min: 100,
      max: 300,
    });
    expect(set.select('step_duration')!.count).toBe(3);
    expect(set.select('step_duration', { step: 'nope' })).toBeUndefined();
    expect(set.select('other')).toBeUndefined();
  });

  it('round-trips through encode / mergeEncoded (report shards)', () => {
    const shard1 = new HistogramSet();
    const shard2 = new HistogramSet();
    shard1.record('step_duration', { step: 'a' }, 100);
    shard2.record('step_duration', { step: 'a' }, 300);
    shard2.record('step_duration', { step: 'b' }, 500);
    const json = JSON.parse(JSON.stringify([...shard1.encode(), ...shard2.encode()]));
    const merged = new HistogramSet().mergeEncoded(json);
    expect(merged.entries().map((e) => [e.tags, e.histogram.count])).toEqual([
      [{ step: 'a' }, 2],
      [{ step: 'b' }, 1],
    ]);
    expect(shard1.encode()[0]!.p50).toBe(100);
  });
});

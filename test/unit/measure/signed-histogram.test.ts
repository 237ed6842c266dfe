import { describe, expect, it } from 'vitest';
import { formatSigned } from '../../../harness/measure/format.js';
import { LatencyHistogram } from '../../../harness/measure/histogram.js';
import { HistogramSet } from '../../../harness/measure/histogram-set.js';
import { formatOverheadSpread, overheadEntry } from '../../../harness/measure/overhead-view.js';
import { HistogramSummarySchema } from '../../../harness/schema/histogram.js';

/** Deterministic signed data: uniform integers in [lo, hi]. */
function values(n: number, lo: number, hi: number, seed: number): number[] {
  let s = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) % 2 ** 32;
    out.push(lo + Math.floor((s / 2 ** 32) * (hi - lo + 1)));
  }
  return out;
}

/** The value at percentile p as HDR defines it: the smallest value with at least p% of values ≤ it. */
function exactPercentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

describe('signed LatencyHistogram', () => {
  it('keeps values below 0: exact percentiles, min, max, mean and stddev over both parts', () => {
    const data = values(5_001, -1_500, 1_000, 7);
    const h = LatencyHistogram.create({ signed: true });
    for (const v of data) h.record(v);
    const sorted = [...data].sort((a, b) => a - b);
    expect(h.count).toBe(data.length);
    for (const p of [0, 1, 10, 25, 50, 75, 90, 99, 100]) {
      expect(h.percentile(p), `p${p}`).toBe(exactPercentile(sorted, p));
    }
    expect(h.min).toBe(sorted[0]);
    expect(h.max).toBe(sorted.at(-1));
    const mean = data.reduce((a, b) => a + b, 0) / data.length;
    const sd = Math.sqrt(data.reduce((a, b) => a + (b - mean) ** 2, 0) / data.length);
    expect(h.mean).toBeCloseTo(mean, 6);
    expect(h.stddev).toBeCloseTo(sd, 6);
  });

  it('an all-negative series reads negative (an unsigned one clamps it to 0)', () => {
    const signed = LatencyHistogram.create({ signed: true });
    const clamped = LatencyHistogram.create();
    for (const v of [-300, -200, -100]) {
      signed.record(v);
      clamped.record(v);
    }
    expect(signed.percentile(50)).toBe(-200);
    expect(signed.mean).toBe(-200);
    expect(signed.max).toBe(-100);
    expect(clamped.percentile(50)).toBe(0);
    // The duration-shaped summary stays ≥ 0; the signed summary has the truth.
    expect(signed.summary().p50).toBe(0);
    expect(signed.signedSummary()).toMatchObject({ p50: -200, min: -300, max: -100, mean: -200 });
  });

  it('without negative values it behaves exactly as an unsigned histogram', () => {
    const data = values(2_000, 0, 50_000, 3);
    const a = LatencyHistogram.create({ signed: true });
    const b = LatencyHistogram.create();
    for (const v of data) {
      a.record(v);
      b.record(v);
    }
    expect(a.summary()).toEqual(b.summary());
    expect(a.stddev).toBe(b.stddev);
  });

  it('encode/decode (with the negative part) and merge equal recording everything into one', () => {
    const one = LatencyHistogram.create({ signed: true });
    const x = LatencyHistogram.create({ signed: true });
    const y = LatencyHistogram.create({ signed: true });
    values(1_000, -900, 400, 1).forEach((v, i) => {
      one.record(v);
      (i % 2 ? x : y).record(v);
    });
    const merged = LatencyHistogram.decode(x.encode(), x.encodeNegative()).merge(
      LatencyHistogram.decode(y.encode(), y.encodeNegative()),
    );
    expect(merged.signedSummary()).toEqual(one.signedSummary());
    expect(() => LatencyHistogram.create().merge(one)).toThrow(/unsigned/);
  });
});

describe('HistogramSet with signed metrics', () => {
  it('overhead is signed by default, other metrics clamp; the JSON shape carries both parts', () => {
    const set = new HistogramSet();
    for (const v of [-50, -10, 20]) set.record('overhead', { step: 'a' }, v);
    set.record('step_duration', { step: 'a' }, -5);
    const [overhead, duration] = set.encode();
    expect(overhead?.signed?.p50).toBe(-10);
    expect(overhead?.hdrNegative).toBeTypeOf('string');
    expect(duration?.signed).toBeUndefined();
    expect(duration?.p50).toBe(0);
    for (const e of set.encode()) expect(HistogramSummarySchema.safeParse(e).success).toBe(true);
    const again = new HistogramSet({ signed: [] }).mergeEncoded(set.encode());
    expect(again.select('overhead')?.percentile(50)).toBe(-10);
  });

  it('select over signed entries keeps the sign', () => {
    const set = new HistogramSet();
    set.record('overhead', { step: 'a', target: 't1' }, -40);
    set.record('overhead', { step: 'a', target: 't2' }, -20);
    expect(set.select('overhead', { step: 'a' })?.max).toBe(-20);
  });
});

describe('rendering a signed overhead', () => {
  it('shows the sign, and the ± when known', () => {
    expect(formatSigned(-12)).toBe('-12µs');
    expect(formatSigned(1_320, 45)).toBe('+1.32ms ± 45µs');
    expect(formatSigned(0, 80)).toBe('0µs ± 80µs');
  });

  it('finds a repeated step’s overhead entry and renders its signed centre and spread', () => {
    const set = new HistogramSet();
    for (const v of [-90, -12, -12, 30, 70]) set.record('overhead', { step: 'work', transport: 'http' }, v);
    const entries = set.encode().map((e) => ({ ...e, errorUs: 40 }));
    const entry = overheadEntry(entries, 'work[3]');
    expect(entry?.tags.step).toBe('work');
    expect(formatOverheadSpread(entry)).toBe('p50 -12µs ± 40µs, mean -3µs, p10…p90 -90µs…+70µs');
  });
});

import type { HistogramSummary } from '../schema/histogram.js';
import { SIGNED_METRICS } from '../schema/sample.js';
import { LatencyHistogram } from './histogram.js';

export type Tags = Record<string, string>;

export interface HistogramEntry {
  metric: string;
  tags: Tags;
  histogram: LatencyHistogram;
}

/** Sorted `k=v` pairs joined by commas: equal tag sets give equal keys whatever their insertion order. */
export function tagKey(tags: Tags): string {
  return Object.keys(tags)
    .sort()
    .map((k) => `${k}=${tags[k]}`)
    .join(',');
}

/** True when every filter tag is present in `tags` with the same value (k6 selector semantics). */
export function tagsMatch(tags: Tags, filter: Tags): boolean {
  return Object.entries(filter).every(([k, v]) => tags[k] === v);
}

/**
 * Latency histograms keyed by metric name + tag set, created on first record.
 * Metrics named in `signed` (default: the harness's signed metrics, i.e.
 * overhead) get signed histograms; the others clamp values below 0.
 */
export class HistogramSet {
  private readonly byKey = new Map<string, HistogramEntry>();
  private readonly signed: ReadonlySet<string>;

  constructor(options: { signed?: Iterable<string> } = {}) {
    this.signed = new Set(options.signed ?? SIGNED_METRICS);
  }

  record(metric: string, tags: Tags, us: number): void {
    this.get(metric, tags).histogram.record(us);
  }

  /** The entry for exactly this metric and tag set, created empty if missing. */
  get(metric: string, tags: Tags = {}): HistogramEntry {
    const key = `${metric}{${tagKey(tags)}}`;
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = {
        metric,
        tags: { ...tags },
        histogram: LatencyHistogram.create({ signed: this.signed.has(metric) }),
      };
      this.byKey.set(key, entry);
    }
    return entry;
  }

  /** Entries in first-recorded order. */
  entries(): HistogramEntry[] {
    return [...this.byKey.values()];
  }

  /**
   * One histogram merging every entry of `metric` whose tags include `filter`
   * (so `step_duration{step:fetch}` spans all targets), or undefined when none match.
   */
  select(metric: string, filter: Tags = {}): LatencyHistogram | undefined {
    const matches = this.entries().filter((e) => e.metric === metric && tagsMatch(e.tags, filter));
    if (matches.length === 0) return undefined;
    const merged = LatencyHistogram.create({ signed: matches.some((e) => e.histogram.signed) });
    for (const e of matches) merged.merge(e.histogram);
    return merged;
  }

  /** Every entry with its summary and HDR encoding, for the JSON report. */
  encode(): HistogramSummary[] {
    return this.entries().map((e) => {
      const h = e.histogram;
      const negative = h.signed ? h.encodeNegative() : undefined;
      return {
        metric: e.metric,
        tags: { ...e.tags },
        ...h.summary(),
        hdr: h.encode(),
        ...(h.signed ? { hdrNegative: negative, signed: h.signedSummary() } : {}),
      };
    });
  }

  /** Merge encoded entries (one report shard) into this set. */
  mergeEncoded(encoded: readonly HistogramSummary[]): this {
    for (const e of encoded) {
      const h = LatencyHistogram.decode(e.hdr, e.hdrNegative, { signed: e.signed !== undefined });
      const into = this.get(e.metric, e.tags);
      // A shard's signed entry makes the merged one signed, whatever this set's defaults.
      if (h.signed && !into.histogram.signed)
        into.histogram = LatencyHistogram.create({ signed: true }).merge(into.histogram);
      into.histogram.merge(h);
    }
    return this;
  }
}

import * as hdr from 'hdr-histogram-js';
import type { LatencySummary } from '../schema/histogram.js';

/** One hour in µs: the initial range; auto-resize takes anything longer. */
const ONE_HOUR_US = 3_600_000_000;
const SIGNIFICANT_DIGITS = 3;

function buildHdr(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: ONE_HOUR_US,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    autoResize: true,
  });
}

/**
 * HDR histogram of durations in integer microseconds (1 µs … 1 h and beyond,
 * 3 significant digits). Reported values carry HDR precision: within 0.1% of
 * the recorded value, exact below 2048 µs.
 */
export class LatencyHistogram {
  private readonly h: hdr.Histogram;

  constructor(inner?: hdr.Histogram) {
    this.h = inner ?? buildHdr();
    // Decoded histograms come back fixed-size; merges must still grow.
    this.h.autoResize = true;
  }

  /**
   * Record one duration. hdr-histogram-js would truncate 1.6 to 1, so round
   * here; negative values (clock skew between processes, or an overhead
   * computed as end-to-end minus downstream) clamp to 0 instead of throwing.
   */
  record(us: number, count = 1): void {
    if (!Number.isFinite(us)) throw new RangeError(`cannot record a non-finite duration: ${us}`);
    const value = Math.max(0, Math.round(us));
    if (count === 1) this.h.recordValue(value);
    else this.h.recordValueWithCount(value, count);
  }

  get count(): number {
    return this.h.totalCount;
  }

  /** Smallest recorded value (0 when empty); p0 also sees recorded zeros, unlike minNonZeroValue. */
  get min(): number {
    return this.count === 0 ? 0 : this.h.getValueAtPercentile(0);
  }

  /**
   * Largest recorded value at HDR precision (the top of its bucket, as HdrHistogram's Java
   * getMaxValue). hdr-histogram-js's own maxValue is exact when recorded but bucketed once
   * decoded, which would make merged report shards disagree with a single run.
   */
  get max(): number {
    return this.count === 0 ? 0 : this.h.getValueAtPercentile(100);
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.h.mean;
  }

  get stddev(): number {
    return this.count === 0 ? 0 : this.h.stdDeviation;
  }

  /** Value at percentile `p` (0–100), in µs; 0 when empty. */
  percentile(p: number): number {
    if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be between 0 and 100, got ${p}`);
    return this.count === 0 ? 0 : this.h.getValueAtPercentile(p);
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      min: this.min,
      max: this.max,
      mean: this.mean,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p95: this.percentile(95),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
    };
  }

  /** Compressed, base64 HDR encoding (the format HdrHistogram uses in every language). */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.h);
  }

  static decode(encoded: string): LatencyHistogram {
    return new LatencyHistogram(hdr.decodeFromCompressedBase64(encoded));
  }

  /** Add every value of `other` into this histogram (for merging report shards). */
  merge(other: LatencyHistogram): this {
    this.h.add(other.h);
    return this;
  }

  /** An independent copy (merging into a copy leaves both inputs untouched). */
  clone(): LatencyHistogram {
    return new LatencyHistogram().merge(this);
  }

  reset(): void {
    this.h.reset();
  }
}

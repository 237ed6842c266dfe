import * as hdr from 'hdr-histogram-js';
import type { LatencySummary, SignedSummary } from '../schema/histogram.js';
import { signedPercentile, signedStats } from './signed.js';

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

export interface LatencyHistogramOptions {
  /**
   * Keep the sign: negative values go to a second HDR histogram of their
   * magnitudes (an overhead computed as end-to-end − downstream − calibration
   * can be < 0, and hiding that hides an over-subtraction). Unsigned
   * histograms clamp negative values to 0.
   */
  signed?: boolean;
}

/**
 * HDR histogram of durations in integer microseconds (1 µs … 1 h and beyond,
 * 3 significant digits). Reported values carry HDR precision: within 0.1% of
 * the recorded value, exact below 2048 µs. A signed histogram holds two
 * parts (values ≥ 0, magnitudes of values < 0), each with that precision
 * near 0, which an offset histogram would lose.
 */
export class LatencyHistogram {
  private readonly h: hdr.Histogram;
  /** Magnitudes of negative values; only in signed histograms. */
  private readonly neg: hdr.Histogram | undefined;

  constructor(inner?: hdr.Histogram, options: LatencyHistogramOptions = {}, negative?: hdr.Histogram) {
    this.h = inner ?? buildHdr();
    // Decoded histograms come back fixed-size; merges must still grow.
    this.h.autoResize = true;
    this.neg = options.signed || negative ? (negative ?? buildHdr()) : undefined;
    if (this.neg) this.neg.autoResize = true;
  }

  /** A histogram of durations (negative values clamp to 0), or of signed values (`{signed: true}`). */
  static create(options: LatencyHistogramOptions = {}): LatencyHistogram {
    return new LatencyHistogram(undefined, options);
  }

  get signed(): boolean {
    return this.neg !== undefined;
  }

  /**
   * Record one value. hdr-histogram-js would truncate 1.6 to 1, so round
   * here. Negative values go to the negative part of a signed histogram; an
   * unsigned one clamps them to 0 (clock skew between processes) instead of
   * throwing.
   */
  record(us: number, count = 1): void {
    if (!Number.isFinite(us)) throw new RangeError(`cannot record a non-finite duration: ${us}`);
    const rounded = Math.round(us);
    const into = rounded < 0 && this.neg ? this.neg : this.h;
    const value = into === this.neg ? -rounded : Math.max(0, rounded);
    if (count === 1) into.recordValue(value);
    else into.recordValueWithCount(value, count);
  }

  get count(): number {
    return this.h.totalCount + (this.neg?.totalCount ?? 0);
  }

  /** True when a negative value was recorded (only a signed histogram can hold one). */
  private get hasNegative(): boolean {
    return (this.neg?.totalCount ?? 0) > 0;
  }

  /** Smallest recorded value (0 when empty); p0 also sees recorded zeros, unlike minNonZeroValue. */
  get min(): number {
    if (this.hasNegative) return this.percentile(0);
    return this.count === 0 ? 0 : this.h.getValueAtPercentile(0);
  }

  /**
   * Largest recorded value at HDR precision (the top of its bucket, as HdrHistogram's Java
   * getMaxValue). hdr-histogram-js's own maxValue is exact when recorded but bucketed once
   * decoded, which would make merged report shards disagree with a single run.
   */
  get max(): number {
    if (this.hasNegative) return this.percentile(100);
    return this.count === 0 ? 0 : this.h.getValueAtPercentile(100);
  }

  get mean(): number {
    if (this.hasNegative) return signedStats(this.h, this.neg as hdr.Histogram).mean;
    return this.count === 0 ? 0 : this.h.mean;
  }

  get stddev(): number {
    if (this.hasNegative) return signedStats(this.h, this.neg as hdr.Histogram).stddev;
    return this.count === 0 ? 0 : this.h.stdDeviation;
  }

  /** Value at percentile `p` (0–100), in µs (< 0 only in a signed histogram); 0 when empty. */
  percentile(p: number): number {
    if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be between 0 and 100, got ${p}`);
    if (this.hasNegative) return signedPercentile(this.h, this.neg as hdr.Histogram, p);
    return this.count === 0 ? 0 : this.h.getValueAtPercentile(p);
  }

  /**
   * The percentile summary in the report's duration shape (values ≥ 0): a
   * signed histogram's values below 0 read as 0 here, as a clamping
   * histogram would report them; `signedSummary()` has the signed values.
   */
  summary(): LatencySummary {
    const z = (v: number) => Math.max(0, v);
    return {
      count: this.count,
      min: z(this.min),
      max: z(this.max),
      mean: z(this.mean),
      p50: z(this.percentile(50)),
      p90: z(this.percentile(90)),
      p95: z(this.percentile(95)),
      p99: z(this.percentile(99)),
      p999: z(this.percentile(99.9)),
    };
  }

  /** Signed p50/mean and the spread (p10…p90, stddev), for signed histograms. */
  signedSummary(): SignedSummary {
    return {
      count: this.count,
      min: this.min,
      p10: this.percentile(10),
      p25: this.percentile(25),
      p50: this.percentile(50),
      p75: this.percentile(75),
      p90: this.percentile(90),
      p99: this.percentile(99),
      max: this.max,
      mean: this.mean,
      stddev: this.stddev,
    };
  }

  /** Compressed, base64 HDR encoding (the format HdrHistogram uses in every language); values ≥ 0. */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.h);
  }

  /** The negative part's encoding (magnitudes), for a signed histogram. */
  encodeNegative(): string | undefined {
    return this.neg ? hdr.encodeIntoCompressedBase64(this.neg) : undefined;
  }

  /** Decode a histogram; with `negative` (or `signed`), a signed one. */
  static decode(encoded: string, negative?: string, options: LatencyHistogramOptions = {}): LatencyHistogram {
    return new LatencyHistogram(
      hdr.decodeFromCompressedBase64(encoded),
      options,
      negative ? hdr.decodeFromCompressedBase64(negative) : undefined,
    );
  }

  /**
   * Add every value of `other` into this histogram (for merging report
   * shards). Negative values of a signed `other` need a signed target.
   */
  merge(other: LatencyHistogram): this {
    this.h.add(other.h);
    if (other.neg && other.neg.totalCount > 0) {
      if (!this.neg)
        throw new RangeError('cannot merge a signed histogram with negative values into an unsigned one');
      this.neg.add(other.neg);
    }
    return this;
  }

  /** An independent copy (merging into a copy leaves both inputs untouched). */
  clone(): LatencyHistogram {
    return LatencyHistogram.create({ signed: this.signed }).merge(this);
  }

  reset(): void {
    this.h.reset();
    this.neg?.reset();
  }
}

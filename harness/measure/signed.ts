import type * as hdr from 'hdr-histogram-js';

/**
 * Statistics over a signed histogram kept as two HDR parts: `pos` holds
 * values ≥ 0, `neg` the magnitudes of values < 0. In sorted order the
 * negative values come first (largest magnitude first), then the positive
 * part, so a rank falls in exactly one part.
 */

/**
 * The `k`-th smallest value (1-based) of one part, at HDR precision. Asking
 * for the middle of the rank (k − ½) keeps HDR's own rounding of
 * `percentile × count` from landing on a neighbour.
 */
function valueAtRank(h: hdr.Histogram, k: number): number {
  return h.getValueAtPercentile((100 * (k - 0.5)) / h.totalCount);
}

/** Value at percentile `p` (0–100): the smallest value with at least p% of the values ≤ it. */
export function signedPercentile(pos: hdr.Histogram, neg: hdr.Histogram, p: number): number {
  const n = neg.totalCount;
  const total = n + pos.totalCount;
  if (total === 0) return 0;
  const rank = Math.min(total, Math.max(1, Math.ceil((p / 100) * total - 1e-9)));
  if (rank <= n) return -valueAtRank(neg, n - rank + 1);
  return valueAtRank(pos, rank - n);
}

/** Mean and standard deviation over both parts (population, as HDR's own). */
export function signedStats(pos: hdr.Histogram, neg: hdr.Histogram): { mean: number; stddev: number } {
  const np = pos.totalCount;
  const nn = neg.totalCount;
  const total = np + nn;
  if (total === 0) return { mean: 0, stddev: 0 };
  const part = (h: hdr.Histogram) =>
    h.totalCount === 0
      ? { sum: 0, sq: 0 }
      : { sum: h.mean * h.totalCount, sq: (h.stdDeviation ** 2 + h.mean ** 2) * h.totalCount };
  const p = part(pos);
  const q = part(neg);
  const mean = (p.sum - q.sum) / total;
  const variance = Math.max(0, (p.sq + q.sq) / total - mean ** 2);
  return { mean, stddev: Math.sqrt(variance) };
}

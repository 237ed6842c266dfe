import { z } from 'zod';

/**
 * The harness's own cost of one call (client, loopback hop, server framing),
 * as calibration measured it in the same run: what overhead subtracts. Pure
 * data and arithmetic; `harness/runner/calibrate.ts` fills it in.
 *
 * - `rounds`: warm calls, one round per calibration pass and concurrency
 *   level, time-stamped, so a call is charged the cost measured around its
 *   own time (linear between the rounds before and after it). Rounds measured
 *   at the steps' pace (`gapUs`: the harness's own work between two calls,
 *   replayed as a busy pause) are preferred over unpaced ones: a call that
 *   follows a pause costs more than one in a tight loop (the other process and
 *   its CPU have gone idle), and the steps are never a tight loop;
 * - `cold`: the first calls on a fresh connection, by index: the first calls
 *   of a scenario on each connection pay for cold paths too.
 */
export const BaselineRoundSchema = z
  .object({
    t: z.number().int().describe('µs on the harness clock, the middle of the round'),
    concurrency: z.number().int().positive(),
    diffs: z.array(z.number().int()).describe('per call: end-to-end − the mock’s service time, µs'),
    gapUs: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('the busy pause between calls, µs: the pace of the steps it was matched to (absent: none)'),
  })
  .strict();
export type BaselineRound = z.infer<typeof BaselineRoundSchema>;

export const TransportBaselineSchema = z
  .object({ cold: z.array(z.number().int()), rounds: z.array(BaselineRoundSchema) })
  .strict();
export type TransportBaseline = z.infer<typeof TransportBaselineSchema>;

/** Where a call sits: when it started, at what concurrency, and its index on its connection. */
export interface CallPosition {
  t: number;
  concurrency: number;
  callIndex: number;
}

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Linear-interpolated quantile (q in 0…1) of unsorted values; 0 when empty. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (i - lo);
}

/** Half the interquartile range: the `±` of one calibrated value (robust to the odd slow call). */
export function spreadOf(xs: readonly number[]): number {
  return xs.length < 2 ? 0 : (quantile(xs, 0.75) - quantile(xs, 0.25)) / 2;
}

/**
 * The cost to subtract from one call. A call among the first ones on its
 * connection (at concurrency 1) is charged that index's cold cost; any other
 * call the warm cost at its concurrency (the nearest level measured),
 * interpolated in time between the rounds around it. Undefined: nothing
 * was measured.
 */
export function baselineAt(tb: TransportBaseline, at: CallPosition): number | undefined {
  if (at.concurrency <= 1 && at.callIndex < tb.cold.length) return tb.cold[at.callIndex];
  const levels = [...new Set(tb.rounds.map((r) => r.concurrency))];
  if (levels.length === 0) return undefined;
  const level = levels.reduce((best, l) =>
    Math.abs(l - at.concurrency) < Math.abs(best - at.concurrency) ? l : best,
  );
  const atLevel = tb.rounds.filter((r) => r.concurrency === level && r.diffs.length > 0);
  const paced = atLevel.filter((r) => r.gapUs !== undefined);
  const rounds = (paced.length > 0 ? paced : atLevel).sort((a, b) => a.t - b.t);
  const before = rounds.filter((r) => r.t <= at.t).at(-1);
  const after = rounds.find((r) => r.t > at.t);
  if (before && after) {
    const w = (at.t - before.t) / (after.t - before.t);
    return Math.round(roundMedian(before) * (1 - w) + roundMedian(after) * w);
  }
  const only = before ?? after;
  return only ? Math.round(roundMedian(only)) : undefined;
}

/** A round's median, sorted once: baselineAt runs for every call of a run against the same few rounds. */
const roundMedians = new WeakMap<BaselineRound, number>();
function roundMedian(round: BaselineRound): number {
  let m = roundMedians.get(round);
  if (m === undefined) {
    m = median(round.diffs);
    roundMedians.set(round, m);
  }
  return m;
}

/** Every warm call at concurrency 1 over the whole run (the paced rounds when there are any, pooled). */
export function warmDiffs(tb: TransportBaseline, concurrency = 1): number[] {
  const atLevel = tb.rounds.filter((r) => r.concurrency === concurrency);
  const paced = atLevel.filter((r) => r.gapUs !== undefined);
  return (paced.length > 0 ? paced : atLevel).flatMap((r) => r.diffs);
}

/**
 * The steps' pace: the median time from one sequential call's end to the
 * next one's start (the harness's own work in between), µs. Gaps over 5 ms
 * are waits or think time, not work, and are left out; undefined when no two
 * sequential calls followed each other.
 */
export function paceOf(
  calls: ReadonlyArray<{ t0: number; t1: number; concurrent: boolean }>,
): number | undefined {
  const seq = calls.filter((c) => !c.concurrent).sort((a, b) => a.t0 - b.t0);
  const gaps: number[] = [];
  for (let i = 1; i < seq.length; i++) {
    const gap = (seq[i] as { t0: number }).t0 - (seq[i - 1] as { t1: number }).t1;
    if (gap >= 0 && gap <= 5_000) gaps.push(gap);
  }
  return gaps.length > 0 ? Math.round(median(gaps)) : undefined;
}

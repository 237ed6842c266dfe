import type { Problem } from '../../errors.js';
import type { LoadOptions, Stage } from '../../schema/load.js';
import type { Executor, OpenSchedule, Share } from './types.js';

/**
 * Open loop whose rate moves linearly from stage to stage (k6's
 * ramping-arrival-rate): it starts at `rate` (default 0) and reaches each
 * stage's `target` req/s at the end of that stage. Iteration k starts when
 * the integral of the rate reaches k (+ a half, so a ramp from 0 starts
 * sending at once rather than after the first whole iteration's worth).
 */
export const rampingArrivalRate: Executor = {
  name: 'ramping-arrival-rate',
  loop: 'open',
  validate(options: LoadOptions): Problem[] {
    if (!options.stages?.length)
      return [{ path: 'stages', message: 'ramping-arrival-rate needs stages (duration:target, …)' }];
    if (!options.stages.some((s) => s.target > 0) && !(options.rate && options.rate > 0))
      return [{ path: 'stages', message: 'expected at least one stage with a target rate > 0' }];
    return [];
  },
  schedule(options: LoadOptions, share: Share): OpenSchedule {
    const segments = segmentsOf(options.rate ?? 0, options.stages as Stage[]);
    const durationUs = segments.reduce((s, g) => s + g.durUs, 0);
    const peakRate = Math.max(options.rate ?? 0, ...segments.map((g) => g.to));
    return {
      loop: 'open',
      durationUs,
      peakRate,
      arrivalUs: (n) => timeOfCount(n * share.count + share.index + 0.5, segments),
    };
  },
};

interface Segment {
  startUs: number;
  durUs: number;
  from: number;
  to: number;
  /** Iterations scheduled before this segment. */
  before: number;
}

function segmentsOf(startRate: number, stages: Stage[]): Segment[] {
  const out: Segment[] = [];
  let t = 0;
  let rate = startRate;
  let count = 0;
  for (const s of stages) {
    const durUs = s.durationMs * 1000;
    out.push({ startUs: t, durUs, from: rate, to: s.target, before: count });
    count += ((rate + s.target) / 2) * (durUs / 1e6);
    t += durUs;
    rate = s.target;
  }
  return out;
}

/**
 * The time (µs) at which the cumulative count reaches `k`: within a segment
 * the count grows as from·x + (to − from)·x²/(2·d) (x, d in seconds), solved
 * for x. Undefined past the last segment.
 */
export function timeOfCount(k: number, segments: readonly Segment[]): number | undefined {
  for (const g of segments) {
    const d = g.durUs / 1e6;
    const inSeg = ((g.from + g.to) / 2) * d;
    const need = k - g.before;
    if (need > inSeg) continue;
    const a = (g.to - g.from) / (2 * d);
    const b = g.from;
    const x = Math.abs(a) < 1e-12 ? need / b : (-b + Math.sqrt(Math.max(0, b * b + 4 * a * need))) / (2 * a);
    return Math.round(g.startUs + x * 1e6);
  }
  return undefined;
}

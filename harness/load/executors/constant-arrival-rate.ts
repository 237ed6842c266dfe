import type { Problem } from '../../errors.js';
import type { LoadOptions } from '../../schema/load.js';
import type { Executor, OpenSchedule, Share } from './types.js';

/**
 * Open loop at a fixed rate: iteration k of the whole run is intended to
 * start at k / rate; worker `index` of `count` takes every `count`-th one
 * (k = index, index + count, …), so the shares interleave evenly.
 */
export const constantArrivalRate: Executor = {
  name: 'constant-arrival-rate',
  loop: 'open',
  validate(options: LoadOptions): Problem[] {
    const problems: Problem[] = [];
    if (options.rate === undefined)
      problems.push({
        path: 'rate',
        message: 'constant-arrival-rate needs a rate (iterations per second) > 0',
      });
    if (options.stages)
      problems.push({
        path: 'stages',
        message: 'stages belong to ramping-arrival-rate, not constant-arrival-rate',
      });
    return problems;
  },
  schedule(options: LoadOptions, share: Share): OpenSchedule {
    const rate = options.rate as number;
    const durationUs = Math.round(options.durationMs * 1000);
    const stepUs = 1e6 / rate;
    return {
      loop: 'open',
      durationUs,
      peakRate: rate,
      arrivalUs(n) {
        const t = (n * share.count + share.index) * stepUs;
        return t < durationUs ? Math.round(t) : undefined;
      },
    };
  },
};

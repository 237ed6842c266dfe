import type { Problem } from '../../errors.js';
import type { LoadOptions } from '../../schema/load.js';
import { type ClosedSchedule, type Executor, type Share, shareOf } from './types.js';

/**
 * Closed loop: `connections` sessions, each with one iteration in flight;
 * the next starts when the last completes, for `durationMs`. The target's
 * pace sets the rate, so a stall is hidden (coordinated omission): use an
 * arrival-rate executor to see it.
 */
export const constantVus: Executor = {
  name: 'constant-vus',
  loop: 'closed',
  validate(options: LoadOptions): Problem[] {
    if (options.connections === undefined)
      return [{ path: 'connections', message: 'constant-vus needs connections (sessions) ≥ 1' }];
    return [];
  },
  schedule(options: LoadOptions, share: Share): ClosedSchedule {
    return {
      loop: 'closed',
      durationUs: Math.round(options.durationMs * 1000),
      vus: shareOf(options.connections as number, share),
    };
  },
};

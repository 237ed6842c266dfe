import type { Problem } from '../../errors.js';
import type { LoadOptions } from '../../schema/load.js';
import { type ClosedSchedule, type Executor, type Share, shareOf } from './types.js';

/**
 * Closed loop where each of `connections` sessions runs exactly `iterations`
 * iterations, one at a time (k6's per-vu-iterations); `durationMs` bounds the
 * whole run.
 */
export const perSessionIterations: Executor = {
  name: 'per-session-iterations',
  loop: 'closed',
  validate(options: LoadOptions): Problem[] {
    const problems: Problem[] = [];
    if (options.iterations === undefined)
      problems.push({ path: 'iterations', message: 'per-session-iterations needs iterations ≥ 1' });
    if (options.connections === undefined && options.sessions === undefined)
      problems.push({
        path: 'connections',
        message: 'per-session-iterations needs connections (sessions) ≥ 1',
      });
    return problems;
  },
  schedule(options: LoadOptions, share: Share): ClosedSchedule {
    return {
      loop: 'closed',
      durationUs: Math.round(options.durationMs * 1000),
      vus: shareOf((options.connections ?? options.sessions) as number, share),
      iterations: options.iterations,
    };
  },
};

import type { ExecutorName, LoadOptions } from '../../schema/load.js';
import { constantArrivalRate } from './constant-arrival-rate.js';
import { constantVus } from './constant-vus.js';
import { perSessionIterations } from './per-session-iterations.js';
import { rampingArrivalRate } from './ramping-arrival-rate.js';
import type { Executor } from './types.js';

/** Every executor by name: a new executor is one file plus one line here. */
export const EXECUTORS: Record<ExecutorName, Executor> = {
  'constant-arrival-rate': constantArrivalRate,
  'ramping-arrival-rate': rampingArrivalRate,
  'constant-vus': constantVus,
  'per-session-iterations': perSessionIterations,
};

/** The executor a run uses: the one named, else by what was given (stages, rate, iterations, connections). */
export function executorFor(options: LoadOptions): Executor {
  if (options.executor) return EXECUTORS[options.executor];
  if (options.stages) return rampingArrivalRate;
  if (options.rate !== undefined) return constantArrivalRate;
  if (options.iterations !== undefined) return perSessionIterations;
  return constantVus;
}

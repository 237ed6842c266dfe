/** The load engine: `runLoad()` and what it is built from. */
export { EXECUTORS, executorFor } from './executors/registry.js';
export type { Executor, Schedule, Share } from './executors/types.js';
export { type FleetProcess, startFleetProcess } from './fleet-process.js';
export { type LoadPlan, planLoad } from './plan-load.js';
export { RESPONSE_METRIC, SERVICE_METRIC } from './recorder.js';
export { type LoadHooks, runLoad } from './run-load.js';

// The probe daemon's programmatic API (re-exported by harness/index.ts).
export { CatalogSnapshotSchema, type CatalogTool, type Drift } from './catalog.js';
export { checkProbeConfig, loadProbeConfig, type ProbeConfig } from './config.js';
export { PROBE_METRICS } from './metrics.js';
export { MODULE_KINDS, PROBE_MODULES } from './modules/registry.js';
export { defineProbeModule, type ProbeModule } from './modules/types.js';
export { PUSH_JOBS, pushProbeResults, pushRunReport } from './push.js';
export { ERROR_KINDS, PHASES, type ProbeResult, ProbeResultSchema } from './result.js';
export { runRound } from './round.js';
export { runProbe } from './run-probe.js';
export { type ProbeConfigInput, ProbeConfigSchema } from './schema.js';
export { type ProbeDaemon, type ProbeDaemonOptions, startProbeDaemon } from './start.js';

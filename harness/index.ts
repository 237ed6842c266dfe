// The programmatic API: everything the CLI does is callable from here.

export { allQueries, DASHBOARDS, writeDashboards } from '../dashboards/index.js';
export { createFleet, type Fleet, type FleetOptions, type McpServerEntry } from '../mocks/server/fleet.js';
export type { MockHandle } from '../mocks/server/handle.js';
export { connectRemoteFleet } from '../mocks/server/remote-fleet.js';
export {
  checkProbeConfig,
  loadProbeConfig,
  PROBE_METRICS,
  type ProbeConfig,
  type ProbeDaemon,
  type ProbeResult,
  pushProbeResults,
  pushRunReport,
  runProbe,
  runRound,
  startProbeDaemon,
} from '../probes/index.js';
export { type Baseline, BaselineSchema } from './checks/baseline.js';
export type { CheckContext } from './checks/context.js';
export {
  type ProtocolFlag,
  ProtocolFlagSchema,
  parseProtocolFlag,
  type RunChecksByEraOptions,
  runChecksByEra,
} from './checks/eras-run.js';
export { SUITE_CHECKS } from './checks/registry.js';
export { type ChecksRun, type RunChecksOptions, runChecks } from './checks/run-checks.js';
export { type Check, check, SUITES, type SuiteName, type Verdict } from './checks/types.js';
export {
  type CompareResult,
  type RunCompareOptions,
  renderCompareHtml,
  runCompare,
  writeCompareReports,
} from './compare/index.js';
export { loadFleet } from './config/fleet-file.js';
export { ERROR_CATALOG, EXIT, HarnessError, isHarnessError, type Problem } from './errors.js';
export { type CheckTargetFlags, checkTargetOf } from './init/check-target.js';
export { type GatewayAnswers, GatewayAnswersSchema } from './init/gateway-answers.js';
export { type InitOptions, type InitResult, initTarget } from './init/init.js';
export {
  EXECUTORS,
  type Executor,
  executorFor,
  type LoadHooks,
  planLoad,
  RESPONSE_METRIC,
  runLoad,
  SERVICE_METRIC,
  startFleetProcess,
} from './load/index.js';
export { mergeLoadReportFiles, mergeLoadReports } from './load/merge.js';
export { type LoadFlags, loadOptionsFromFlags } from './load/options.js';
export { parseShard } from './load/shard.js';
export { parseStages } from './load/stages.js';
export { evaluateLoadThresholds, loadExitCode, withThresholds } from './load/thresholds.js';
export { nowUs } from './measure/clock.js';
export { createTracing, type McpTracing } from './measure/otel.js';
export { createOtlpExport, type OtlpExport, type OtlpOptions, withOtlp } from './measure/otlp.js';
export { createPromSink, type PromSink } from './measure/prom.js';
export { parseLoadReport } from './report/load-json.js';
export { LOAD_REPORTERS, writeLoadReports } from './report/load-registry.js';
export { writeReports } from './report/registry.js';
export { type PlanOptions, planScenario } from './runner/plan.js';
export type { Plan, PlannedStep } from './runner/plan-types.js';
export { type RunOutcome, type RunScenariosOptions, runScenarios } from './runner/run.js';
export { type RunScenarioOptions, runScenario } from './runner/run-scenario.js';
export { type CallQuery, type CallRecord, CallRecordSchema } from './schema/call-log.js';
export { ERA_VERSION, type Era, type EraChoice, EraChoiceSchema, EraSchema } from './schema/era.js';
export { FAULT_TYPES, type FaultInput, type FaultSpec, FaultSpecSchema } from './schema/fault.js';
export {
  defineFleet,
  type FleetInput,
  type FleetSpec,
  FleetSpecSchema,
  type ServerSpec,
  ServerSpecSchema,
  servedEra,
  type ToolHandler,
  type ToolSpec,
  ToolSpecSchema,
} from './schema/fleet.js';
export { ORIGIN_TAG_RE, originTag } from './schema/origin.js';
export { type RunReport, RunReportSchema, type ScenarioResult, type StepResult } from './schema/result.js';
export {
  defineScenario,
  type ScenarioInput,
  type ScenarioSpec,
  ScenarioSpecSchema,
} from './schema/scenario.js';
export {
  defineTarget,
  loadTarget,
  type TargetInput,
  type TargetSpec,
  TargetSpecSchema,
} from './schema/target.js';
export {
  type ConnectEndpointOptions,
  type Connection,
  connectEndpoint,
  eraOf,
  versionNegotiation,
} from './target/connect.js';
export { type OpenTargetOptions, openTarget, type Target } from './target/target.js';

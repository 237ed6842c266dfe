import { EXIT, HarnessError, isHarnessError, type Problem } from '../errors.js';
import type { McpTracing } from '../measure/otel.js';
import type { PromSink } from '../measure/prom.js';
import { createProgress, type OutputStream, type Progress } from '../report/console.js';
import { writeReports } from '../report/registry.js';
import { buildRunReport, type RunReport, type ScenarioResult } from '../schema/result.js';
import type { CallRecord } from '../schema/call-log.js';
import type { TargetSpec } from '../schema/target.js';
import { VERSION } from '../version.js';
import { type PlanOptions, planScenario } from './plan.js';
import type { Plan, PlannedStep } from './plan-types.js';
import { runScenario } from './run-scenario.js';

/**
 * Run several scenarios into one RunReport and render it: what `mcp-harness
 * run` does, callable from TypeScript. Every scenario is planned before any
 * runs, so one bad file stops the run before anything starts (exit 2).
 */
export interface RunScenariosOptions {
  target?: string | TargetSpec;
  /** Default step deadline, overriding the scenarios' stepTimeout. */
  stepTimeoutMs?: number;
  /** Where file reports go (default: none written). */
  reportDir?: string;
  /** Report formats (default: console only, to `stream`). */
  formats?: readonly string[];
  /** Console report and progress output (default: none). */
  stream?: OutputStream;
  /** Show live progress on `stream` (a bar on a TTY, plain lines otherwise). */
  progress?: boolean;
  signal?: AbortSignal;
  prom?: PromSink;
  tracing?: McpTracing;
  /** Each scenario's mock call logs, once its steps are done. */
  onCallLog?: (records: CallRecord[]) => void;
}

export interface RunOutcome {
  report: RunReport;
  /** Report files written. */
  files: string[];
}

export async function runScenarios(
  sources: ReadonlyArray<string | object>,
  options: RunScenariosOptions = {},
): Promise<RunOutcome> {
  const started = new Date();
  const t0 = performance.now();
  const plans = await planAll(sources, { target: options.target, stepTimeoutMs: options.stepTimeoutMs });
  const scenarios: ScenarioResult[] = [];
  for (const plan of plans) {
    if (options.signal?.aborted) break;
    let progress: Progress | undefined;
    if (options.progress && options.stream) {
      progress = createProgress({ total: resultCount(plan.steps), stream: options.stream, label: plan.name });
    }
    try {
      scenarios.push(
        await runScenario(plan, {
          signal: options.signal,
          prom: options.prom,
          tracing: options.tracing,
          onCallLog: options.onCallLog,
          onStep: (r) =>
            progress?.tick(
              `${plan.name} › ${r.name}`,
              r.status === 'pass' ? (r.outcome ?? 'ok') : `${r.status}${r.reason ? `: ${r.reason}` : ''}`,
            ),
        }),
      );
    } finally {
      progress?.stop();
    }
  }
  const unreachable = scenarios.some((s) => s.error && s.error.code !== 'INTERNAL');
  const report = buildRunReport({
    version: VERSION,
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    scenarios,
    checks: [],
    ...(unreachable ? { exitCode: EXIT.unreachable } : {}),
  });
  const formats = options.formats ?? ['console'];
  const files = await writeReports(report, {
    dir: options.reportDir ?? '.',
    formats,
    stream: options.stream,
  });
  return { report, files };
}

/** Plan every scenario; problems of all files are reported together, each path prefixed with its file. */
async function planAll(sources: ReadonlyArray<string | object>, options: PlanOptions): Promise<Plan[]> {
  const settled = await Promise.allSettled(sources.map((s) => planScenario(s, options)));
  const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failures.length === 0) return settled.map((s) => (s as PromiseFulfilledResult<Plan>).value);
  if (failures.length === 1) throw failures[0]?.reason;
  const errors = failures.map((f) => f.reason as unknown);
  const other = errors.find((e) => !isHarnessError(e));
  if (other) throw other;
  const problems: Problem[] = (errors as HarnessError[]).flatMap((e) => {
    const file = e.message.split(': ')[0] ?? '';
    return e.problems?.length
      ? e.problems.map((p) => ({ path: `${file}: ${p.path}`, message: p.message }))
      : [{ path: file, message: e.message }];
  });
  throw new HarnessError('INVALID_CONFIG', `${failures.length} scenario files have problems`, { problems });
}

/** How many step results a plan yields (progress total). */
export function resultCount(steps: readonly PlannedStep[]): number {
  let n = 0;
  for (const s of steps) {
    if (s.kind === 'parallel') n += 1 + resultCount(s.steps);
    else if (s.kind === 'repeat') n += 1 + s.times * resultCount(s.steps);
    else n += 1;
  }
  return n;
}

import { z } from 'zod';
import { EraSchema } from './era.js';
import { HistogramSummarySchema } from './histogram.js';

/**
 * Results are data. Every verdict the harness reaches — a conformance check,
 * an expectation on a scenario step, a threshold — lands in one RunReport,
 * which every reporter renders and the JSON report stores verbatim.
 * Durations inside scenarios are integer microseconds; check durations are ms.
 */

const Us = z.number().int().nonnegative().describe('integer microseconds');
const Count = z.number().int().nonnegative();
const IsoTime = z.iso.datetime({ offset: true });

/**
 * `skip`: the target cannot be asked (not HTTP, no replicas declared).
 * `blocked`: the check could not run because of the SUT (a tool it needs is
 * not exposed, a warm-up call failed, a name is ambiguous); it counts as a
 * failure unless the baseline lists it, and `reason` names what blocked it.
 */
export const CheckStatusSchema = z.enum(['pass', 'fail', 'warn', 'skip', 'blocked']);
export type CheckStatus = z.infer<typeof CheckStatusSchema>;

export const CheckResultSchema = z
  .object({
    id: z.string().min(1),
    title: z.string(),
    suite: z.string().min(1),
    status: CheckStatusSchema,
    severity: z.enum(['must', 'should']).optional(),
    specRef: z.string(),
    expected: z.string(),
    observed: z.string(),
    reason: z.string().optional(),
    durationMs: z.number().nonnegative(),
    evidence: z.record(z.string(), z.unknown()).optional(),
    blockedBy: z
      .string()
      .optional()
      .describe('blocked: the check or condition that blocked it (e.g. gateway.tools-exposed-once)'),
    expectedFailure: z
      .boolean()
      .optional()
      .describe('listed in the expected-failures baseline (a failure, warning, skip or block)'),
    stale: z
      .boolean()
      .optional()
      .describe('listed in the baseline but passing now: the entry should be removed'),
    transcript: z
      .array(z.string())
      .optional()
      .describe('--verbose: the messages the check sent and received, one line each (clipped)'),
    era: EraSchema.optional().describe(
      'check --protocol: the protocol era the run spoke (legacy 2025-11-25, modern 2026-07-28)',
    ),
  })
  .strict();
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const ExpectationResultSchema = z
  .object({
    step: z.string(),
    expectation: z.string().describe("what was asserted, e.g. 'isError' or 'within 200ms'"),
    status: z.enum(['pass', 'fail']),
    expected: z.string(),
    observed: z.string(),
    reason: z.string().optional(),
  })
  .strict();
export type ExpectationResult = z.infer<typeof ExpectationResultSchema>;

export const ThresholdResultSchema = z
  .object({
    metric: z.string(),
    expression: z.string().describe("e.g. 'p(95)<50ms'"),
    observed: z.string(),
    pass: z.boolean(),
  })
  .strict();
export type ThresholdResult = z.infer<typeof ThresholdResultSchema>;

export { type HistogramSummary, HistogramSummarySchema } from './histogram.js';

export const StepKindSchema = z.enum(['call', 'parallel', 'fault', 'wait', 'restart', 'kill', 'repeat']);
export type StepKind = z.infer<typeof StepKindSchema>;

export const StepOutcomeSchema = z.enum(['ok', 'isError', 'error', 'timeout', 'transport']);
export type StepOutcome = z.infer<typeof StepOutcomeSchema>;

export const StepResultSchema = z
  .object({
    name: z.string(),
    kind: StepKindSchema,
    status: z.enum(['pass', 'fail', 'skip']),
    durationUs: Us,
    tool: z.string().optional(),
    outcome: StepOutcomeSchema.optional(),
    reason: z.string().optional(),
    downstreamUs: Us.optional().describe('time spent in the downstream mock, from its call log'),
    overheadUs: z
      .number()
      .int()
      .optional()
      .describe('end-to-end minus downstream; may be < 0 with clock skew'),
    attribution: z
      .enum(['traceparent', 'argument', 'match', 'window', 'none'])
      .optional()
      .describe('how the downstream calls were matched to this step (harness/runner/attribution.ts)'),
    expectations: z.array(ExpectationResultSchema),
  })
  .strict();
export type StepResult = z.infer<typeof StepResultSchema>;

export const PatternSchema = z.enum(['direct', 'mesh', 'gateway', 'chain']);
export type Pattern = z.infer<typeof PatternSchema>;

export const ScenarioResultSchema = z
  .object({
    scenario: z.string(),
    target: z.string(),
    pattern: PatternSchema,
    status: z.enum(['pass', 'fail']),
    startedAt: IsoTime,
    durationMs: z.number().nonnegative(),
    steps: z.array(StepResultSchema),
    thresholds: z.array(ThresholdResultSchema),
    histograms: z.array(HistogramSummarySchema),
    baselineUs: z
      .record(z.string(), Us)
      .optional()
      .describe("the harness's own client+transport cost per transport, subtracted from overhead"),
    error: z
      .object({ code: z.string(), message: z.string() })
      .strict()
      .optional()
      .describe('why the scenario could not run (e.g. the SUT could not be reached)'),
    eras: z
      .record(z.string(), EraSchema)
      .optional()
      .describe('the protocol era negotiated on each connection to the SUT, by server (endpoint for one)'),
    propagation: z
      .object({
        traceContext: z.boolean().nullable().describe('null: not measured'),
        argumentsUnchanged: z.boolean().nullable().describe('null: not measured'),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ScenarioResult = z.infer<typeof ScenarioResultSchema>;

export const SummarySchema = z
  .object({
    passed: Count,
    failed: Count,
    warned: Count,
    skipped: Count,
    blocked: Count.default(0).describe('blocked checks not listed in the baseline (they fail the run)'),
  })
  .strict();
export type Summary = z.infer<typeof SummarySchema>;

export const RunReportSchema = z
  .object({
    tool: z.literal('mcp-harness'),
    version: z.string(),
    startedAt: IsoTime,
    durationMs: z.number().nonnegative(),
    exitCode: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    scenarios: z.array(ScenarioResultSchema),
    checks: z.array(CheckResultSchema),
    summary: SummarySchema,
  })
  .strict();
export type RunReport = z.infer<typeof RunReportSchema>;

/** How a check counts, after the expected-failures baseline is applied. */
export type Verdict = 'pass' | 'fail' | 'warn' | 'skip' | 'blocked' | 'expected-fail' | 'stale';

/**
 * A stale baseline entry fails the run (the baseline must be updated); a
 * failure listed in the baseline does not. Reporters show both distinctly.
 */
export function checkVerdict(check: CheckResult): Verdict {
  if (check.stale) return 'stale';
  if (check.expectedFailure && check.status !== 'pass') return 'expected-fail';
  return check.status;
}

/** A failed step with no failed expectation explaining it (e.g. the call threw). */
export function isUnexplainedStepFailure(step: StepResult): boolean {
  return step.status === 'fail' && !step.expectations.some((e) => e.status === 'fail');
}

/** A failed scenario where no step, expectation or threshold failed (e.g. it was aborted). */
export function isUnexplainedScenarioFailure(scenario: ScenarioResult): boolean {
  return (
    scenario.status === 'fail' &&
    !scenario.steps.some((s) => s.status === 'fail') &&
    !scenario.thresholds.some((t) => !t.pass)
  );
}

/**
 * Count every verdict (checks, expectations, thresholds) and derive the exit
 * code: 1 when anything failed, else 0. An expected failure counts as skipped;
 * a stale baseline entry counts as failed. A failed step or scenario that no
 * expectation or threshold explains counts as one failure of its own, so the
 * counts never disagree with the exit code. (Exit codes 2–4 come from errors,
 * not from results.)
 */
export function summarize(input: Pick<RunReport, 'checks' | 'scenarios'>): {
  summary: Summary;
  exitCode: 0 | 1;
} {
  const summary: Summary = { passed: 0, failed: 0, warned: 0, skipped: 0, blocked: 0 };
  for (const check of input.checks) {
    const v = checkVerdict(check);
    if (v === 'pass') summary.passed++;
    else if (v === 'fail' || v === 'stale') summary.failed++;
    else if (v === 'blocked') summary.blocked++;
    else if (v === 'warn') summary.warned++;
    else summary.skipped++;
  }
  for (const scenario of input.scenarios) {
    for (const step of scenario.steps) {
      for (const e of step.expectations) {
        if (e.status === 'pass') summary.passed++;
        else summary.failed++;
      }
      if (isUnexplainedStepFailure(step)) summary.failed++;
    }
    for (const t of scenario.thresholds) {
      if (t.pass) summary.passed++;
      else summary.failed++;
    }
    if (isUnexplainedScenarioFailure(scenario)) summary.failed++;
  }
  return { summary, exitCode: summary.failed + summary.blocked > 0 ? 1 : 0 };
}

/** Assemble a RunReport from its results, filling in `summary` and `exitCode`. */
export function buildRunReport(
  input: Omit<RunReport, 'tool' | 'summary' | 'exitCode'> & { exitCode?: RunReport['exitCode'] },
): RunReport {
  const { summary, exitCode } = summarize(input);
  return {
    tool: 'mcp-harness',
    version: input.version,
    startedAt: input.startedAt,
    durationMs: input.durationMs,
    exitCode: input.exitCode ?? exitCode,
    scenarios: input.scenarios,
    checks: input.checks,
    summary,
  };
}

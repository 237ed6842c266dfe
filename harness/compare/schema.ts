import { z } from 'zod';
import { HistogramSummarySchema, LatencySummarySchema } from '../schema/histogram.js';
import { PatternSchema, StepOutcomeSchema } from '../schema/result.js';

/**
 * The compare file (`mcp-harness compare FILE`) and the comparison it yields.
 * A compare file names one workflow (a scenario of logical `server.tool` call
 * steps), the targets to run it through, and, for chain targets, which step
 * groups the chain runs as one composite tool.
 */

export const CompositeSchema = z
  .object({
    tool: z.string().min(1).describe('the composite tool the chain exposes'),
    steps: z.array(z.string().min(1)).min(1).describe('the workflow steps it replaces, in order'),
    args: z.record(z.string(), z.unknown()).default({}).describe('its arguments'),
    name: z.string().min(1).optional().describe('the step name in results (default: the tool)'),
  })
  .strict();
export type Composite = z.infer<typeof CompositeSchema>;

/** `server:fault` or `server:fault:key=value,key=value` (values that parse as numbers are numbers). */
export const FaultFlagSchema = z
  .string()
  .regex(/^[^:\s]+:[a-z-]+(:.*)?$/, 'expected server:fault[:key=value,…]');

export const CompareSpecSchema = z
  .object({
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    scenario: z.string().min(1).describe('the workflow: a scenario file, relative to this file'),
    targets: z
      .array(z.string().min(1))
      .min(2)
      .describe('"mesh" (the harness as host over the fleet) or target files, relative to this file'),
    iterations: z.number().int().positive().default(20).describe('workflows per target'),
    warmup: z.number().int().nonnegative().default(2).describe('unmeasured workflows per target first'),
    composites: z.array(CompositeSchema).default([]),
    faults: z.array(FaultFlagSchema).default([]).describe('each run once per target after the rounds'),
  })
  .strict();
export type CompareSpec = z.infer<typeof CompareSpecSchema>;

/** A signed percentile summary (overhead can be < 0), integer µs. */
export const SignedPercentilesSchema = z
  .object({
    count: z.number().int().nonnegative(),
    mean: z.number(),
    p50: z.number().int(),
    p95: z.number().int(),
    p99: z.number().int(),
  })
  .strict();
export type SignedPercentiles = z.infer<typeof SignedPercentilesSchema>;

export const UnitResultSchema = z
  .object({
    name: z.string().describe('the step, or the composite standing for several'),
    tool: z.string(),
    steps: z.array(z.string()).describe('the workflow steps it covers'),
    latency: LatencySummarySchema,
    downstream: SignedPercentilesSchema.describe('time the mocks recorded (their call logs)'),
    overhead: SignedPercentilesSchema.describe('end-to-end − downstream − calibration'),
    failures: z.number().int().nonnegative(),
  })
  .strict();
export type UnitResult = z.infer<typeof UnitResultSchema>;

export const FaultStepSchema = z
  .object({
    step: z.string(),
    servers: z.array(z.string()),
    outcome: z.union([StepOutcomeSchema, z.literal('not-run')]),
    durationUs: z.number().int().nonnegative(),
    reason: z.string().optional(),
  })
  .strict();

export const FaultResultSchema = z
  .object({
    fault: z.string().describe('server:fault as given'),
    server: z.string(),
    steps: z.array(FaultStepSchema).describe('the workflow under the fault, as the client saw it'),
    seen: z.union([StepOutcomeSchema, z.literal('none')]).describe('what the client saw first'),
    timeToErrorUs: z.number().int().nonnegative().optional(),
    others: z
      .object({
        ok: z.number().int().nonnegative(),
        total: z.number().int().nonnegative(),
        detail: z.string(),
      })
      .strict()
      .describe("the other servers' steps, each called alone with a clean round's arguments"),
  })
  .strict();
export type FaultResult = z.infer<typeof FaultResultSchema>;

export const PatternResultSchema = z
  .object({
    target: z.string(),
    pattern: PatternSchema,
    status: z.enum(['pass', 'fail']),
    error: z.string().optional().describe('why the target could not run'),
    workflows: z.number().int().nonnegative().describe('measured workflows'),
    workflow: UnitResultSchema.describe('the whole workflow, end to end'),
    units: z.array(UnitResultSchema),
    roundTrips: z
      .object({
        client: z.number().describe('requests the client sent per workflow'),
        downstream: z.number().describe('requests the mocks received per workflow (session set-up included)'),
        downstreamToolCalls: z.number().describe('tools/call requests the mocks received per workflow'),
      })
      .strict(),
    bytes: z
      .object({ sent: z.number(), received: z.number() })
      .strict()
      .describe('JSON-RPC bytes per workflow at the client transport'),
    catalogue: z
      .object({
        tools: z.number().int().nonnegative(),
        bytes: z.number().int().nonnegative(),
        tokens: z.number().int().nonnegative(),
        encoding: z.string(),
      })
      .strict(),
    faults: z.array(FaultResultSchema),
    histograms: z.array(HistogramSummarySchema).describe('per unit and workflow latency, HDR-encoded'),
    baselineUs: z.record(z.string(), z.number()).optional(),
  })
  .strict();
export type PatternResult = z.infer<typeof PatternResultSchema>;

export const CompareResultSchema = z
  .object({
    kind: z.literal('compare'),
    name: z.string(),
    startedAt: z.iso.datetime({ offset: true }),
    durationMs: z.number().nonnegative(),
    iterations: z.number().int().positive(),
    steps: z.array(z.object({ name: z.string(), tool: z.string() }).strict()),
    fleet: z.array(z.object({ name: z.string(), transport: z.string() }).strict()),
    patterns: z.array(PatternResultSchema),
    status: z.enum(['pass', 'fail']),
  })
  .strict();
export type CompareResult = z.infer<typeof CompareResultSchema>;

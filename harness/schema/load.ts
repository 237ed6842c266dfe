import { z } from 'zod';
import { DurationMsSchema } from './duration.js';
import { HistogramSummarySchema } from './histogram.js';

/**
 * The contract of `mcp-harness load` / `runLoad()`: what a load test is asked
 * to do (`LoadOptions`) and what it reports (`LoadReport`). The engine
 * (harness/load/) produces a LoadReport; reporters, thresholds, `merge` and
 * shards consume it. Times are integer µs unless a name says otherwise.
 */

export const EXECUTOR_NAMES = [
  'constant-arrival-rate',
  'ramping-arrival-rate',
  'constant-vus',
  'per-session-iterations',
] as const;
export const ExecutorNameSchema = z.enum(EXECUTOR_NAMES);
export type ExecutorName = z.infer<typeof ExecutorNameSchema>;

/** One ramp stage: reach `target` (req/s for arrival-rate executors, sessions for VU ones) over `durationMs`. */
export const StageSchema = z
  .object({ durationMs: z.number().positive(), target: z.number().nonnegative() })
  .strict();
export type Stage = z.infer<typeof StageSchema>;

/** Which shard of a split run this process is: `index` in 1..count (`--shard 2/4`). */
export const ShardSchema = z
  .object({ index: z.number().int().positive(), count: z.number().int().positive() })
  .strict()
  .refine((s) => s.index <= s.count, { message: 'expected shard i/n with 1 ≤ i ≤ n' });
export type Shard = z.infer<typeof ShardSchema>;

/** One fault-timeline entry: at `atMs` after the start, apply an action to a mock of the fleet. */
export const TimelineActionSchema = z.discriminatedUnion('action', [
  z
    .object({ atMs: DurationMsSchema, action: z.literal('fault'), server: z.string(), fault: z.unknown() })
    .strict(),
  z.object({ atMs: DurationMsSchema, action: z.literal('clear'), server: z.string() }).strict(),
  z.object({ atMs: DurationMsSchema, action: z.literal('kill'), server: z.string() }).strict(),
  z.object({ atMs: DurationMsSchema, action: z.literal('restart'), server: z.string() }).strict(),
]);
export type TimelineAction = z.infer<typeof TimelineActionSchema>;
export const FaultTimelineSchema = z.object({ timeline: z.array(TimelineActionSchema).min(1) }).strict();

/** What one load test does. Exactly one of `scenario` / `tool`; `rate` for open loop, `connections` for closed. */
export const LoadOptionsSchema = z
  .object({
    target: z
      .union([z.string(), z.record(z.string(), z.unknown())])
      .describe('target file path, or a target spec (API; e.g. {pattern: mesh, fromFleet: true})'),
    fleet: z
      .string()
      .optional()
      .describe(
        "fleet file, or `conformance`; default: the scenario's fleet, the target's checks.fleet, else conformance",
      ),
    fleetAt: z
      .string()
      .optional()
      .describe('control URL of a fleet already running (`mcp-harness mock`); left running'),
    timeoutMs: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("per request; default: the target's timeoutMs"),
    hotPath: z
      .boolean()
      .default(true)
      .describe('Streamable HTTP: send pre-serialized JSON-RPC over undici (false: through the SDK client)'),
    attribution: z
      .boolean()
      .optional()
      .describe(
        'per-hop attribution (downstream vs overhead, harness cost calibrated at the same load); default: on for gateway and chain targets',
      ),
    sampleRate: z
      .number()
      .positive()
      .default(100)
      .describe(
        'attribution: sampled requests per second (a traceparent in _meta, matched in the call logs)',
      ),
    scenario: z.string().optional().describe('scenario file: one whole workflow per iteration'),
    tool: z.string().optional().describe('logical `server.tool` called once per iteration'),
    args: z.record(z.string(), z.unknown()).default({}),
    executor: ExecutorNameSchema.optional().describe(
      'default: constant-arrival-rate with rate, constant-vus with connections',
    ),
    rate: z.number().positive().optional().describe('iterations per second (open loop)'),
    connections: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('sessions, each with one iteration in flight (closed loop)'),
    durationMs: z.number().positive().default(30_000),
    stages: z.array(StageSchema).min(1).optional(),
    iterations: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('per-session-iterations: iterations per session'),
    sessions: z.number().int().positive().optional().describe('MCP sessions the requests are spread over'),
    maxInFlight: z.number().int().positive().optional(),
    thresholds: z.array(z.string()).default([]),
    faults: z.string().optional().describe('fault timeline file'),
    shard: ShardSchema.optional(),
    workers: z.number().int().positive().optional().describe('worker threads; default: one per core'),
  })
  .strict();
export type LoadOptions = z.infer<typeof LoadOptionsSchema>;
export type LoadOptionsInput = z.input<typeof LoadOptionsSchema>;

export const ErrorKindSchema = z.enum(['isError', 'jsonrpc', 'http', 'timeout', 'transport']);
export type ErrorKind = z.infer<typeof ErrorKindSchema>;

/** Errors by kind; `detail` breaks a kind down (`-32603`, `503`, …). */
export const ErrorCountsSchema = z
  .object({
    isError: z.number().int().nonnegative(),
    jsonrpc: z.number().int().nonnegative(),
    http: z.number().int().nonnegative(),
    timeout: z.number().int().nonnegative(),
    transport: z.number().int().nonnegative(),
    detail: z.record(z.string(), z.number().int().nonnegative()).default({}),
  })
  .strict();
export type ErrorCounts = z.infer<typeof ErrorCountsSchema>;

/** One second of the run (second 0 starts at the run's start). */
export const LoadSecondSchema = z
  .object({
    second: z.number().int().nonnegative(),
    requests: z.number().int().nonnegative(),
    ok: z.number().int().nonnegative(),
    dropped: z.number().int().nonnegative(),
    errors: ErrorCountsSchema,
    responseP50Us: z.number().int().nonnegative(),
    responseP99Us: z.number().int().nonnegative(),
  })
  .strict();
export type LoadSecond = z.infer<typeof LoadSecondSchema>;

/**
 * Histograms in a load report (HDR-encoded so shards merge exactly):
 * `mcp_harness_load_response_time` (completion − intended start; open loop),
 * `mcp_harness_load_service_time` (completion − actual send), per step
 * (`tags.step`) for scenarios, and the signed `mcp_harness_overhead` per hop
 * when the call logs allow attribution.
 */
export const LoadReportSchema = z
  .object({
    kind: z.literal('load'),
    version: z.literal(1),
    target: z.string(),
    pattern: z.string(),
    executor: ExecutorNameSchema,
    options: z.record(z.string(), z.unknown()).describe('the LoadOptions the run was given'),
    shard: ShardSchema.optional(),
    shardsMerged: z.number().int().positive().default(1),
    workers: z.number().int().positive().optional().describe('worker threads that generated the load'),
    startedAt: z.iso.datetime(),
    durationUs: z.number().int().nonnegative(),
    /** Iterations the schedule asked for, sent, completed, and dropped at max-in-flight. */
    scheduled: z.number().int().nonnegative(),
    sent: z.number().int().nonnegative(),
    completed: z.number().int().nonnegative(),
    dropped: z.number().int().nonnegative(),
    errors: ErrorCountsSchema,
    achievedRate: z.number().nonnegative().describe('completed iterations per second'),
    targetRate: z.number().nonnegative().optional(),
    histograms: z.array(HistogramSummarySchema),
    seconds: z.array(LoadSecondSchema),
    /** Per-hop attribution: sampled calls matched in the call logs, and the harness cost subtracted. */
    attribution: z
      .object({
        method: z.literal('traceparent'),
        sampled: z.number().int().nonnegative().describe('successful calls that carried a traceparent'),
        matched: z.number().int().nonnegative().describe('of those, found in a mock call log'),
        harnessCostUs: z.number().int().describe('median client cost per call, calibrated at the same load'),
        harnessCostSpreadUs: z
          .number()
          .int()
          .nonnegative()
          .describe('half the interquartile range of that cost'),
        calibrationCalls: z.number().int().nonnegative(),
      })
      .strict()
      .optional(),
    /** Fault timeline: when each action happened and how long until errors stopped. */
    timeline: z
      .array(
        z
          .object({
            atUs: z.number().int().nonnegative(),
            action: z.string(),
            server: z.string(),
            recoveredAfterUs: z.number().int().nonnegative().nullable(),
          })
          .strict(),
      )
      .default([]),
    thresholds: z
      .array(
        z
          .object({
            expression: z.string(),
            pass: z.boolean(),
            observed: z.string().nullable(),
            error: z.string().optional(),
          })
          .strict(),
      )
      .default([]),
    eras: z
      .record(z.string(), z.number().int().nonnegative())
      .default({})
      .describe('sessions per negotiated era'),
    expectations: z
      .array(
        z
          .object({
            step: z.string(),
            expectation: z.string().describe('outcome, code, text, structured.PATH, mentions, within, …'),
            passed: z.number().int().nonnegative(),
            failed: z.number().int().nonnegative(),
          })
          .strict(),
      )
      .default([])
      .describe("a scenario's step expectations evaluated on every call under load"),
  })
  .strict();
export type LoadReport = z.infer<typeof LoadReportSchema>;

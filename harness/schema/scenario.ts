import { z } from 'zod';
import { DurationMsSchema } from './duration.js';
import { FaultSpecSchema } from './fault.js';
import { RegexSchema } from './regex.js';
import { ThresholdConfigSchema } from './threshold.js';

/**
 * A scenario: a fleet, a default target and steps. Each step is an object with
 * exactly one action key (`call`, `parallel`, `fault`, `restart`, `kill`,
 * `wait`, `repeat`) plus common fields, the way GitHub Actions steps read.
 * The fleet and the target may be given inline or as a path relative to the
 * scenario file; the planner (harness/runner/plan.ts) loads and validates them
 * and reports their problems under `fleet.` / `target.` with everything else.
 */

export const STEP_ACTIONS = ['call', 'parallel', 'fault', 'restart', 'kill', 'wait', 'repeat'] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

const STEP_NAME = /^[A-Za-z0-9_:-]{1,64}$/;
const SERVER_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const ServerName = z.string().regex(SERVER_NAME, 'expected a fleet server name ([A-Za-z0-9_-], 1-64)');

const Common = {
  name: z
    .string()
    .regex(STEP_NAME, 'expected 1-64 characters of [A-Za-z0-9_:-] (no dots: references read steps.NAME.text)')
    .optional()
    .describe('unique step name; later steps reference its result as steps.NAME'),
  timeout: DurationMsSchema.optional().describe("the step's deadline (default: the scenario's stepTimeout)"),
};

/** Text matching: a substring, or `{matches: REGEX}` / `{equals: TEXT}`. */
export const TextMatchSchema = z.union([
  z.string(),
  z
    .object({
      matches: RegexSchema,
    })
    .strict(),
  z.object({ equals: z.string() }).strict(),
]);
export type TextMatch = z.output<typeof TextMatchSchema>;

export const CALL_OUTCOMES = ['ok', 'isError', 'error', 'timeout', 'transport', 'any'] as const;

export const ExpectSchema = z
  .object({
    outcome: z
      .enum(CALL_OUTCOMES)
      .optional()
      .describe(
        'ok: a result without isError; isError: a result with isError: true; error: a JSON-RPC error',
      ),
    code: z.number().int().optional().describe('the JSON-RPC error code (implies outcome: error)'),
    text: TextMatchSchema.optional().describe('the text content (all text parts joined by newlines)'),
    structured: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('structuredContent: every given key path must deep-equal (a.b: 1)'),
    servedBy: ServerName.optional().describe('the fleet server whose call log shows the downstream call'),
    mentions: z
      .array(z.string().min(1))
      .optional()
      .describe('strings the error message (or isError text) must contain'),
    namesFailing: z
      .union([
        z.literal(true),
        z
          .object({ server: z.string().min(1).optional(), tool: z.string().min(1).optional() })
          .strict()
          .refine((n) => n.server !== undefined || n.tool !== undefined, {
            message: 'give server, tool or both',
          }),
      ])
      .optional()
      .describe('the error names the failing server or tool (true: those of the called logical name)'),
    within: DurationMsSchema.optional().describe('end-to-end time bound'),
  })
  .strict();
export type Expect = z.output<typeof ExpectSchema>;
export type ExpectInput = z.input<typeof ExpectSchema>;

export const FaultActionSchema = z
  .object({
    server: ServerName,
    add: FaultSpecSchema.optional().describe(
      'a fault to add (its id, when given, lets a later step remove it)',
    ),
    remove: z.string().min(1).optional().describe('the id of a fault to remove'),
    clear: z.literal(true).optional().describe('remove every fault of the server'),
  })
  .strict()
  .refine((f) => [f.add, f.remove, f.clear].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of add: FAULT, remove: ID or clear: true',
  });

export interface CallStep {
  call: string;
  args?: Record<string, unknown>;
  expect?: Expect;
  name?: string;
  timeout?: number;
}
export interface ParallelStep {
  parallel: Step[];
  name?: string;
  timeout?: number;
}
export interface FaultStep {
  fault: z.output<typeof FaultActionSchema>;
  name?: string;
  timeout?: number;
}
export interface RestartStep {
  restart: string;
  name?: string;
  timeout?: number;
}
export interface KillStep {
  kill: string;
  name?: string;
  timeout?: number;
}
export interface WaitStep {
  wait: number;
  name?: string;
  timeout?: number;
}
export interface RepeatStep {
  repeat: number;
  steps: Step[];
  name?: string;
  timeout?: number;
}
export type Step = CallStep | ParallelStep | FaultStep | RestartStep | KillStep | WaitStep | RepeatStep;

const CallStepSchema = z
  .object({
    call: z
      .string()
      .regex(
        /^(?:[A-Za-z0-9_-]+\.)?[A-Za-z0-9_-](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/,
        'expected a logical tool name server.tool',
      )
      .describe('logical tool name, server.tool'),
    args: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('may reference {{steps.NAME...}} and {{vars.X}}'),
    expect: ExpectSchema.optional().describe('default: outcome ok'),
    ...Common,
  })
  .strict();

const StepSchemaInner: z.ZodType<Step, unknown> = z.lazy(() =>
  z
    .unknown()
    .superRefine(checkOneAction)
    .pipe(
      z
        .preprocess(
          tagAction,
          z.discriminatedUnion(
            'action',
            [
              CallStepSchema.extend({ action: z.literal('call') }),
              z
                .object({
                  action: z.literal('parallel'),
                  parallel: z.array(StepSchemaInner).min(1),
                  ...Common,
                })
                .strict(),
              z.object({ action: z.literal('fault'), fault: FaultActionSchema, ...Common }).strict(),
              z.object({ action: z.literal('restart'), restart: ServerName, ...Common }).strict(),
              z.object({ action: z.literal('kill'), kill: ServerName, ...Common }).strict(),
              z.object({ action: z.literal('wait'), wait: DurationMsSchema, ...Common }).strict(),
              z
                .object({
                  action: z.literal('repeat'),
                  repeat: z.number().int().min(1).max(100_000),
                  steps: z.array(StepSchemaInner).min(1),
                  ...Common,
                })
                .strict(),
            ],
            { error: () => `expected a step with exactly one of: ${STEP_ACTIONS.join(', ')}` },
          ),
        )
        .transform(
          ({ action: _action, ...step }: { action: StepAction } & Record<string, unknown>) =>
            step as unknown as Step,
        ),
    ),
);
export const StepSchema = StepSchemaInner;

/** The key that tells a step's kind, or undefined when it has none or several (a schema error). */
export function stepAction(step: object): StepAction | undefined {
  const present = STEP_ACTIONS.filter((k) => Object.hasOwn(step, k));
  return present.length === 1 ? present[0] : undefined;
}

/** A step names exactly one action; say which keys were found otherwise. */
function checkOneAction(raw: unknown, ctx: z.RefinementCtx): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a step object with one of: ${STEP_ACTIONS.join(', ')}`,
    });
    return;
  }
  // `action` is the internal tag of the parsed union: refuse it rather than let it be overwritten.
  if (Object.hasOwn(raw, 'action')) ctx.addIssue({ code: 'custom', message: "unknown key 'action'" });
  const present = STEP_ACTIONS.filter((k) => Object.hasOwn(raw, k));
  if (present.length === 1) return;
  ctx.addIssue({
    code: 'custom',
    message:
      present.length === 0
        ? `expected exactly one of: ${STEP_ACTIONS.join(', ')} (found none)`
        : `expected exactly one of: ${STEP_ACTIONS.join(', ')} (found ${present.join(' and ')})`,
  });
}

/** Tag a raw step with its action so the discriminated union reports the right branch's problems. */
function tagAction(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const action = stepAction(raw);
  return action ? { ...raw, action } : raw;
}

export const ATTRIBUTION_MODES = ['auto', 'traceparent', 'argument', 'none'] as const;

export const ScenarioSpecSchema = z
  .object({
    name: z.string().min(1).optional().describe('default: the file name'),
    description: z.string().optional(),
    fleet: z
      .union([z.string().min(1), z.record(z.string(), z.unknown())])
      .optional()
      .describe('a fleet file path (relative to the scenario) or an inline fleet'),
    target: z
      .union([z.string().min(1), z.record(z.string(), z.unknown())])
      .optional()
      .describe('a target file path or an inline target; default: a mesh over the fleet'),
    vars: z.record(z.string(), z.unknown()).default({}).describe('values steps reference as {{vars.NAME}}'),
    stepTimeout: DurationMsSchema.default(10_000).describe('deadline of a step without its own timeout'),
    attribution: z
      .enum(ATTRIBUTION_MODES)
      .default('auto')
      .describe(
        'how downstream calls are matched to steps: auto (trace context, else same tool+arguments in the step window), traceparent, argument (a unique value added to the arguments), none',
      ),
    calibrate: z
      .boolean()
      .default(true)
      .describe("measure the harness's own client+transport cost and subtract it from the overhead"),
    thresholds: ThresholdConfigSchema.default({}),
    steps: z.array(StepSchema).min(1, 'expected at least one step'),
  })
  .strict();
export type ScenarioSpec = z.output<typeof ScenarioSpecSchema>;
export type ScenarioInput = z.input<typeof ScenarioSpecSchema>;

/** Typed helper for TS/JS scenario modules: `export default defineScenario({...})`. */
export function defineScenario(scenario: ScenarioInput): ScenarioInput {
  return scenario;
}

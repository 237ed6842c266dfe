import { z } from 'zod';
import { zodProblems } from '../../config/problems.js';
import { HarnessError, type Problem } from '../../errors.js';
import type { CheckContext } from '../context.js';
import { skip, type Verdict } from '../types.js';

/**
 * The target file's `checks.chain`: what the chain suite needs to know about
 * the chain under test — one pipeline and one fan-out composite tool, the
 * downstream `server.tool` each step calls, and the step timeout. The suite
 * cannot read the chain's own definition (it only sees the chain over MCP), so
 * the target file restates the parts the checks judge against.
 *
 * ```yaml
 * checks:
 *   chain:
 *     stepTimeoutMs: 5000
 *     pipeline:
 *       tool: triage_issue
 *       args: { id: 42, channel: dev }
 *       steps:
 *         - { call: tracker.get_issue, id: issue, args: { id: 42 } }
 *         - repo.search_code            # a bare server.tool is fine too
 *       failStep: repo.search_code      # default: the middle step
 *     fanout:
 *       tool: overview
 *       args: { query: parser }
 *       branches: [tracker.search_issues, repo.search_code]
 * ```
 */

const CALL = /^[A-Za-z0-9_-]{1,64}\.\S+$/;
const Call = z.string().regex(CALL, 'expected server.tool (a fleet server, a dot, a tool name)');
const Args = z.record(z.string(), z.unknown());

const StepSchema = z
  .union([
    Call,
    z
      .object({
        call: Call.describe('server.tool the step calls downstream'),
        id: z.string().min(1).optional().describe("the chain's id for the step (its failedStep name)"),
        args: Args.optional().describe('the arguments the step sends for the given input, as templated'),
        timeoutMs: z
          .number()
          .int()
          .positive()
          .optional()
          .describe("this step's timeout, when it has its own"),
      })
      .strict(),
  ])
  .transform((s) => {
    const o = typeof s === 'string' ? { call: s } : s;
    const dot = o.call.indexOf('.');
    return { ...o, server: o.call.slice(0, dot), tool: o.call.slice(dot + 1) };
  });
export type StepRef = z.output<typeof StepSchema>;

const PipelineSchema = z
  .object({
    tool: z.string().min(1).describe('a composite tool whose steps run in order'),
    args: Args.default({}).describe('arguments under which every step succeeds'),
    steps: z.array(StepSchema).min(2, 'expected at least two steps'),
    failStep: Call.optional().describe('the step the failure checks break (default: the middle step)'),
    hangStep: Call.optional().describe(
      'the step the timeout check hangs (default: the last step: nothing runs after it, whatever the order)',
    ),
  })
  .strict();

const FanoutSchema = z
  .object({
    tool: z.string().min(1).describe('a composite tool whose branches run concurrently'),
    args: Args.default({}),
    branches: z.array(StepSchema).min(2, 'expected at least two branches'),
    failBranch: Call.optional().describe(
      'the branch the partial-failure check breaks (default: the middle one)',
    ),
    delayMs: z
      .number()
      .int()
      .positive()
      .default(1_000)
      .describe('latency added to every branch while overlap is measured'),
  })
  .strict();

const IsolationSchema = z
  .object({
    tool: z.string().min(1).optional().describe('default: the pipeline tool'),
    args: Args.optional().describe("default: the pipeline's args"),
    key: z.string().min(1).describe('the argument that differs between the concurrent calls'),
    values: z
      .array(z.union([z.string().min(3), z.number()]))
      .min(2)
      .describe('one value per concurrent call; each must show up in its own answer only'),
  })
  .strict();

export const ChainOptionsSchema = z
  .object({
    stepTimeoutMs: z.number().int().positive().default(10_000).describe("the chain's per-step timeout"),
    marginMs: z
      .number()
      .int()
      .min(0)
      .default(2_000)
      .describe('how much later than the step timeout a hung step may be reported'),
    traceparent: z
      .string()
      .regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'expected a W3C traceparent')
      .default('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'),
    pipeline: PipelineSchema.optional(),
    fanout: FanoutSchema.optional(),
    isolation: IsolationSchema.optional(),
  })
  .strict();
export type ChainOptions = z.output<typeof ChainOptionsSchema>;
export type PipelineOptions = NonNullable<ChainOptions['pipeline']>;
export type FanoutOptions = NonNullable<ChainOptions['fanout']>;

/**
 * The suite's options, validated against the schema, across fields and
 * against the fleet (every step names a fleet server). Throws INVALID_CONFIG
 * listing every problem at once (the message lists them too, since a failed
 * check shows only the message).
 */
export function parseChainOptions(raw: unknown, servers?: ReadonlySet<string>): ChainOptions {
  const parsed = ChainOptionsSchema.safeParse(raw ?? {});
  const problems: Problem[] = [
    ...(parsed.success ? [] : zodProblems(parsed.error, ['checks', 'chain'])),
    ...crossProblems(raw, servers),
  ];
  if (problems.length === 0 && parsed.success) return parsed.data;
  const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  throw new HarnessError('INVALID_CONFIG', `invalid checks.chain options: ${list}`, { problems });
}

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The `server.tool` of each step as written (undefined where it is not even that). */
const callsIn = (list: unknown): Array<string | undefined> =>
  Array.isArray(list)
    ? list.map((s) =>
        typeof s === 'string' ? s : isObj(s) && typeof s.call === 'string' ? s.call : undefined,
      )
    : [];

/** Rules across fields, checked on the raw input so they are reported along with shape problems. */
function crossProblems(raw: unknown, servers?: ReadonlySet<string>): Problem[] {
  const out: Problem[] = [];
  const add = (path: string, message: string) => out.push({ path: `checks.chain.${path}`, message });
  const o = isObj(raw) ? raw : {};
  const p = isObj(o.pipeline) ? o.pipeline : undefined;
  const f = isObj(o.fanout) ? o.fanout : undefined;
  if (p) {
    const names = callsIn(p.steps);
    if (typeof p.failStep === 'string') {
      if (!names.includes(p.failStep)) add('pipeline.failStep', `'${p.failStep}' is not one of the steps`);
      else if (names.lastIndexOf(p.failStep) === names.length - 1)
        add('pipeline.failStep', 'expected a step with a later step after it (short-circuit looks there)');
    }
    if (typeof p.hangStep === 'string' && !names.includes(p.hangStep))
      add('pipeline.hangStep', `'${p.hangStep}' is not one of the steps`);
  }
  if (f && typeof f.failBranch === 'string' && !callsIn(f.branches).includes(f.failBranch))
    add('fanout.failBranch', `'${f.failBranch}' is not one of the branches`);
  const iso = isObj(o.isolation) ? o.isolation : undefined;
  if (iso) {
    if (iso.tool === undefined && !p)
      add('isolation.tool', 'give a tool (there is no pipeline to default to)');
    const texts = Array.isArray(iso.values) ? iso.values.map(String) : [];
    if (new Set(texts).size !== texts.length) add('isolation.values', 'expected distinct values');
    texts.forEach((t, i) => {
      if (texts.some((u, j) => j !== i && u !== t && u.includes(t)))
        add(`isolation.values[${i}]`, `'${t}' is part of another value: each must be recognisable alone`);
    });
  }
  if (servers) {
    const lists = [
      ['pipeline.steps', p?.steps],
      ['fanout.branches', f?.branches],
    ] as const;
    for (const [path, list] of lists)
      callsIn(list).forEach((call, i) => {
        const server = call?.includes('.') ? call.slice(0, call.indexOf('.')) : undefined;
        if (server !== undefined && !servers.has(server))
          add(`${path}[${i}]`, `the fleet has no server '${server}' (it has ${[...servers].join(', ')})`);
      });
  }
  return out;
}

const NO_OPTIONS =
  "the target file has no checks.chain options (the chain's composite tools and the steps they call)";

/** The options of this run; a skip when the target gives none at all. Throws on invalid options. */
export function chainOptions(ctx: CheckContext): ChainOptions | Verdict {
  if (Object.keys(ctx.options).length === 0) return skip(NO_OPTIONS);
  return parseChainOptions(ctx.options, new Set(ctx.fleet.mocks.keys()));
}

/** The pipeline part of the options, or why the check cannot run. */
export function pipelineOf(ctx: CheckContext): { o: ChainOptions; p: PipelineOptions } | Verdict {
  const o = chainOptions(ctx);
  if (isVerdict(o)) return o;
  if (!o.pipeline) return skip('checks.chain.pipeline is not set: no pipeline to call');
  if (!ctx.session) return skip('the chain has no single endpoint to call');
  return { o, p: o.pipeline };
}

/** The fan-out part of the options, or why the check cannot run. */
export function fanoutOf(ctx: CheckContext): { o: ChainOptions; f: FanoutOptions } | Verdict {
  const o = chainOptions(ctx);
  if (isVerdict(o)) return o;
  if (!o.fanout) return skip('checks.chain.fanout is not set: no fan-out to call');
  if (!ctx.session) return skip('the chain has no single endpoint to call');
  return { o, f: o.fanout };
}

export function isVerdict(v: unknown): v is Verdict {
  return typeof v === 'object' && v !== null && 'status' in v;
}

/** The step the failure checks break: `failStep`, else the middle step (never the last). */
export function failStepOf(p: PipelineOptions): StepRef {
  const i = p.failStep
    ? p.steps.findIndex((s) => s.call === p.failStep)
    : Math.floor((p.steps.length - 1) / 2);
  return p.steps[i] as StepRef;
}

/** The steps declared after the failing one. */
export function stepsAfter(p: PipelineOptions, step: StepRef): StepRef[] {
  return p.steps.slice(p.steps.indexOf(step) + 1);
}

/** The step the timeout check hangs: `hangStep`, else the last step. */
export function hangStepOf(p: PipelineOptions): StepRef {
  return (p.steps.find((s) => s.call === p.hangStep) ?? p.steps[p.steps.length - 1]) as StepRef;
}

export function failBranchOf(f: FanoutOptions): StepRef {
  const i = f.failBranch
    ? f.branches.findIndex((s) => s.call === f.failBranch)
    : Math.floor((f.branches.length - 1) / 2);
  return f.branches[i] as StepRef;
}

import { z } from 'zod';
import { readDataFile, validate } from '../../../harness/config/load.js';
import { formatPath } from '../../../harness/config/problems.js';
import { HarnessError, type Problem } from '../../../harness/errors.js';
import { expressionsIn, parseReference } from './template.js';

/**
 * The chain definition: composite tools, each a `pipeline` (ordered steps,
 * later steps may use earlier results) or a `fanout` (parallel branches).
 * Every step calls one tool of one server named in the mcpServers file.
 */

const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const STEP_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const DEFAULT_STEP_TIMEOUT_MS = 10_000;

const JsonSchemaObject = z
  .record(z.string(), z.unknown())
  .refine((s) => s.type === 'object', { message: 'expected a JSON Schema with type: object' });

export const StepSchema = z
  .object({
    id: z.string().regex(STEP_ID, 'expected 1-64 characters of [A-Za-z0-9_-]').optional(),
    server: z.string().min(1).describe('a server of the mcpServers file'),
    tool: z.string().min(1),
    arguments: z.record(z.string(), z.unknown()).default({}).describe('values may use {{…}} templates'),
    timeoutMs: z.number().int().positive().optional().describe('overrides the tool/chain step timeout'),
  })
  .strict();

export const CompositeToolSchema = z
  .object({
    name: z.string().regex(TOOL_NAME, 'expected 1-128 characters of [A-Za-z0-9_.-]'),
    title: z.string().optional(),
    description: z.string().default(''),
    inputSchema: JsonSchemaObject.default({ type: 'object' }),
    timeoutMs: z.number().int().positive().optional().describe('per-step timeout for this tool'),
    pipeline: z.array(StepSchema).min(1).optional(),
    fanout: z.array(StepSchema).min(1).optional(),
    output: z.string().optional().describe('pipeline only: the text the composite answers with'),
  })
  .strict()
  .superRefine(checkTool, { when: () => true })
  .transform(({ pipeline, fanout, ...t }) => {
    const steps = (pipeline ?? fanout ?? []).map((s, i) => ({ ...s, id: s.id ?? defaultId(i) }));
    return { ...t, kind: pipeline ? ('pipeline' as const) : ('fanout' as const), steps };
  });

export const ChainSpecSchema = z
  .object({
    name: z.string().min(1).default('chain').describe('server name in the initialize answer'),
    version: z.string().default('1.0.0'),
    instructions: z.string().optional(),
    stepTimeoutMs: z.number().int().positive().default(DEFAULT_STEP_TIMEOUT_MS),
    tools: z.array(CompositeToolSchema).min(1),
  })
  .strict()
  .superRefine(
    (chain, ctx) => {
      const tools: unknown[] = Array.isArray(chain?.tools) ? chain.tools : [];
      const seen = new Set<string>();
      tools.forEach((t, i) => {
        const name = (t as { name?: unknown })?.name;
        if (typeof name !== 'string') return;
        if (seen.has(name))
          ctx.addIssue({
            code: 'custom',
            path: ['tools', i, 'name'],
            message: `duplicate tool name '${name}'`,
          });
        seen.add(name);
      });
    },
    { when: () => true },
  );

export type ChainSpec = z.output<typeof ChainSpecSchema>;
export type ChainInput = z.input<typeof ChainSpecSchema>;
export type CompositeTool = z.output<typeof CompositeToolSchema>;
export type Step = CompositeTool['steps'][number];

function defaultId(i: number): string {
  return `step${i + 1}`;
}

/** One of pipeline/fanout; unique step ids; every template reference resolvable. Input may be malformed. */
function checkTool(raw: unknown, ctx: z.RefinementCtx): void {
  const t = (raw ?? {}) as Record<string, unknown>;
  const add = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if ((t.pipeline === undefined) === (t.fanout === undefined)) {
    add([t.pipeline === undefined ? 'pipeline' : 'fanout'], 'give exactly one of pipeline or fanout');
    return;
  }
  const kind = t.pipeline !== undefined ? 'pipeline' : 'fanout';
  if (kind === 'fanout' && t.output !== undefined) add(['output'], 'output is only for pipeline tools');
  const steps = Array.isArray(t[kind]) ? (t[kind] as unknown[]) : [];
  const earlier = new Set<string>();
  steps.forEach((s, i) => {
    const step = (s ?? {}) as Record<string, unknown>;
    const id = typeof step.id === 'string' ? step.id : defaultId(i);
    if (earlier.has(id)) add([kind, i, 'id'], `duplicate step id '${id}'`);
    for (const { expr, at } of expressionsIn(step.arguments, [kind, i, 'arguments'])) {
      const problem = referenceProblem(expr, kind, earlier);
      if (problem) add(at, problem);
    }
    earlier.add(id);
  });
  if (typeof t.output === 'string') {
    for (const { expr } of expressionsIn(t.output)) {
      const problem = referenceProblem(expr, kind, earlier);
      if (problem) add(['output'], problem);
    }
  }
}

function referenceProblem(expr: string, kind: string, earlier: Set<string>): string | undefined {
  const ref = parseReference(expr);
  if (typeof ref === 'string') return ref;
  if (ref.root !== 'steps') return undefined;
  if (kind === 'fanout') return `'{{${expr}}}': fan-out branches run in parallel and may only use input`;
  if (!earlier.has(ref.step)) return `'{{${expr}}}': no earlier step '${ref.step}' in this pipeline`;
  return undefined;
}

/** Validate a chain definition (object or YAML/JSON file); throws INVALID_CONFIG listing every problem. */
export async function loadChain(source: string | unknown): Promise<ChainSpec> {
  if (typeof source === 'string') return validate(ChainSpecSchema, await readDataFile(source), source);
  return validate(ChainSpecSchema, source, 'chain');
}

/** Every step must name a server of the mcpServers file; throws INVALID_CONFIG listing each one that does not. */
export function checkServers(chain: ChainSpec, servers: ReadonlySet<string>, label = 'chain'): void {
  const problems: Problem[] = [];
  const known = [...servers].sort().join(', ') || 'none';
  chain.tools.forEach((t, ti) => {
    t.steps.forEach((s, si) => {
      if (!servers.has(s.server))
        problems.push({
          path: formatPath(['tools', ti, t.kind, si, 'server']),
          message: `unknown server '${s.server}' (the mcpServers file has: ${known})`,
        });
    });
  });
  if (problems.length > 0)
    throw new HarnessError('INVALID_CONFIG', `${label}: ${problems.length} problem(s)`, { problems });
}

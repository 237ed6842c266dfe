import { type CallToolResult, ProtocolError } from '@modelcontextprotocol/client';
import { isHarnessError } from '../../../harness/errors.js';
import type { ChainDefect } from './defects.js';
import type { CallParams, DownstreamScope } from './downstream.js';
import type { ChainSpec, CompositeTool, Step } from './schema.js';
import { renderArguments, type StepOutput, type TemplateScope } from './template.js';

/** Everything one composite call carries from step to step. */
export interface CallContext {
  chain: ChainSpec;
  tool: CompositeTool;
  defects: ReadonlySet<ChainDefect>;
  scope: DownstreamScope;
  /** `params._meta` of the upstream request. */
  meta: Record<string, unknown> | undefined;
  /** Aborted when the upstream request is cancelled. */
  signal: AbortSignal;
  template: TemplateScope;
}

export type FailureKind = 'tool-error' | 'protocol-error' | 'timeout' | 'connect' | 'cancelled' | 'transport';

export interface StepFailure {
  step: string;
  server: string;
  tool: string;
  kind: FailureKind;
  /** The downstream error, in words. */
  error: string;
  /** Where the chain noticed it (only ever shown by the `leak-internals` defect). */
  stack: string;
}

export type StepResult =
  | { ok: true; step: Step; output: StepOutput; result: CallToolResult }
  | { ok: false; step: Step; failure: StepFailure };

/** Run one step: render its arguments, call the downstream tool within the step timeout, classify the outcome. */
export async function runStep(ctx: CallContext, step: Step): Promise<StepResult> {
  const timeoutMs = ctx.defects.has('no-step-timeout')
    ? undefined
    : (step.timeoutMs ?? ctx.tool.timeoutMs ?? ctx.chain.stepTimeoutMs);
  const timer = new AbortController();
  const t = timeoutMs === undefined ? undefined : setTimeout(() => timer.abort(), timeoutMs);
  const fail = (kind: FailureKind, error: string, cause?: unknown): StepResult => ({
    ok: false,
    step,
    failure: {
      step: step.id,
      server: step.server,
      tool: step.tool,
      kind,
      error,
      stack: (cause instanceof Error && cause.stack) || new Error(error).stack || '',
    },
  });
  try {
    const result = await ctx.scope.callTool(
      step.server,
      paramsFor(ctx, step),
      AbortSignal.any([ctx.signal, timer.signal]),
    );
    if (result.isError) return fail('tool-error', textOf(result) || 'the tool answered isError: true');
    const output: StepOutput = { text: textOf(result) };
    if (result.structuredContent !== undefined) output.structured = result.structuredContent;
    return { ok: true, step, output, result };
  } catch (err) {
    if (timer.signal.aborted) return fail('timeout', `timed out after ${timeoutMs} ms`, err);
    if (ctx.signal.aborted) return fail('cancelled', 'the upstream request was cancelled', err);
    if (err instanceof ProtocolError)
      return fail('protocol-error', `JSON-RPC error ${err.code}: ${bareMessage(err)}`, err);
    if (isHarnessError(err)) return fail('connect', err.message, err);
    return fail('transport', err instanceof Error ? err.message : String(err), err);
  } finally {
    clearTimeout(t);
  }
}

/** The downstream request: the tool, its templated arguments, and the upstream `_meta`. */
export function paramsFor(ctx: CallContext, step: Step): CallParams {
  let args = renderArguments(step.arguments, ctx.template);
  if (ctx.defects.has('args-mutated')) args = mutate(args, ctx.tool.name, step.id);
  const meta = ctx.defects.has('no-trace') ? undefined : forwardMeta(ctx.meta);
  return { name: step.tool, arguments: args, ...(meta ? { _meta: meta } : {}) };
}

/**
 * The upstream `_meta` as it came (traceparent, tracestate, anything else),
 * minus the progressToken: that token belongs to the upstream request.
 */
export function forwardMeta(meta: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!meta) return undefined;
  const { progressToken: _drop, ...rest } = meta;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** DEFECT args-mutated: a bookkeeping key the downstream tool never asked for rides along. */
function mutate(args: Record<string, unknown>, tool: string, step: string): Record<string, unknown> {
  return { ...args, _chain: { tool, step } };
}

/** The text content blocks of a result, joined by newlines. */
export function textOf(result: CallToolResult): string {
  return (result.content ?? [])
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

/** The SDK may prefix the wire message with `MCP error <code>: `; the code is reported separately. */
function bareMessage(err: ProtocolError): string {
  return err.message.replace(/^MCP error -?\d+:\s*/, '');
}

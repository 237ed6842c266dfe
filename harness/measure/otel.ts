import {
  type Attributes,
  context as apiContext,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  type ReadableSpan,
  type Sampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';
import { contextFromMeta, injectTraceparent } from './trace-context.js';

/** What the MCP semantic conventions record about one request. */
export const McpRequestInfoSchema = z.object({
  /** `mcp.method.name`, e.g. `tools/call`. */
  method: z.string(),
  toolName: z.string().optional(),
  promptName: z.string().optional(),
  resourceUri: z.string().optional(),
  sessionId: z.string().optional(),
  requestId: z.union([z.string(), z.number()]).optional(),
  transport: z.enum(['stdio', 'http', 'sse']).optional(),
  protocolVersion: z.string().optional(),
});
export type McpRequestInfo = z.infer<typeof McpRequestInfoSchema>;

/** How a request ended: its result (possibly `isError: true`) or what was thrown / the JSON-RPC error. */
export type McpOutcome = { result: unknown } | { error: unknown };

/** `{mcp.method.name} {target}`: the target is the tool (or prompt) name, low-cardinality by design. */
export function mcpSpanName(info: McpRequestInfo): string {
  const target = info.toolName ?? info.promptName;
  return target ? `${info.method} ${target}` : info.method;
}

export function mcpAttributes(info: McpRequestInfo): Attributes {
  const a: Attributes = { 'mcp.method.name': info.method };
  if (info.toolName !== undefined) a['gen_ai.tool.name'] = info.toolName;
  if (info.method === 'tools/call') a['gen_ai.operation.name'] = 'execute_tool';
  if (info.promptName !== undefined) a['gen_ai.prompt.name'] = info.promptName;
  if (info.resourceUri !== undefined) a['mcp.resource.uri'] = info.resourceUri;
  if (info.sessionId !== undefined) a['mcp.session.id'] = info.sessionId;
  if (info.requestId !== undefined) a['jsonrpc.request.id'] = String(info.requestId);
  if (info.protocolVersion !== undefined) a['mcp.protocol.version'] = info.protocolVersion;
  if (info.transport !== undefined) {
    // stdio is a pipe; both HTTP transports run over TCP.
    a['network.transport'] = info.transport === 'stdio' ? 'pipe' : 'tcp';
    if (info.transport !== 'stdio') a['network.protocol.name'] = 'http';
  }
  return a;
}

function jsonRpcCode(v: unknown): number | undefined {
  const code = typeof v === 'object' && v !== null ? (v as { code?: unknown }).code : undefined;
  return typeof code === 'number' && Number.isInteger(code) ? code : undefined;
}

function messageOf(v: unknown): string {
  if (v instanceof Error) return v.message;
  const m = typeof v === 'object' && v !== null ? (v as { message?: unknown }).message : v;
  return typeof m === 'string' ? m : String(m ?? '');
}

/**
 * `error.type` for an outcome, or undefined on success: `tool_error` for a result with
 * `isError: true` (a successful JSON-RPC response that nonetheless failed), the JSON-RPC
 * error code as a string for protocol errors (thrown, or a raw `{error: {code}}` response),
 * else the exception's class name (`_OTHER` for non-Error throws, as the conventions say).
 */
export function errorTypeOf(
  outcome: McpOutcome,
): { type: string; code?: number; message: string } | undefined {
  if ('result' in outcome) {
    const r =
      typeof outcome.result === 'object' && outcome.result !== null
        ? (outcome.result as Record<string, unknown>)
        : {};
    if (r.isError === true) return { type: 'tool_error', message: 'tool returned isError: true' };
    const code = jsonRpcCode(r.error);
    return code === undefined ? undefined : { type: String(code), code, message: messageOf(r.error) };
  }
  const e = outcome.error;
  const code = jsonRpcCode(e);
  if (code !== undefined) return { type: String(code), code, message: messageOf(e) };
  if (e instanceof Error) return { type: e.constructor.name || e.name, message: e.message };
  return { type: '_OTHER', message: messageOf(e) };
}

export interface TracingOptions {
  /** Extra processors (e.g. a BatchSpanProcessor with an OTLP exporter). */
  spanProcessors?: SpanProcessor[];
  /** An exporter to feed through a SimpleSpanProcessor. */
  exporter?: SpanExporter;
  /** Keep finished spans in memory for `finishedSpans()` (default true). */
  keepInMemory?: boolean;
  /** Default: parent-based, always on at the root (explicit, so OTEL_TRACES_SAMPLER cannot change tests). */
  sampler?: Sampler;
  tracerName?: string;
}

export interface McpTracing {
  provider: BasicTracerProvider;
  tracer: Tracer;
  /** A CLIENT span for one MCP request; the parent defaults to the active context. */
  startClientSpan(info: McpRequestInfo, parent?: Context | Span): Span;
  /** Set `error.type` and the error status from the outcome, then end the span. */
  endSpan(span: Span, outcome: McpOutcome): void;
  /** Run `send` with params carrying this request's traceparent; the span ends with the outcome. */
  traceRequest<P extends object, T>(
    info: McpRequestInfo,
    params: P | undefined,
    send: (params: P & { _meta: Record<string, unknown> }) => Promise<T>,
    parent?: Context | Span,
  ): Promise<T>;
  /** A SERVER span continuing the trace found in `_meta` (a new root when absent). */
  startServerSpan(meta: unknown, name: string | McpRequestInfo, attributes?: Attributes): Span;
  finishedSpans(): ReadableSpan[];
  reset(): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * One tracer provider per instance, never registered globally, so runs and tests
 * do not see each other's spans.
 */
export function createTracing(options: TracingOptions = {}): McpTracing {
  const memory = new InMemorySpanExporter();
  const processors: SpanProcessor[] = [];
  if (options.keepInMemory !== false) processors.push(new SimpleSpanProcessor(memory));
  if (options.exporter) processors.push(new SimpleSpanProcessor(options.exporter));
  processors.push(...(options.spanProcessors ?? []));
  const provider = new BasicTracerProvider({
    sampler: options.sampler ?? new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: processors,
  });
  const tracer = provider.getTracer(options.tracerName ?? 'mcp-harness');

  const toContext = (parent: Context | Span | undefined): Context => {
    if (!parent) return apiContext.active();
    return typeof (parent as Span).spanContext === 'function'
      ? trace.setSpan(ROOT_CONTEXT, parent as Span)
      : (parent as Context);
  };

  const endSpan = (span: Span, outcome: McpOutcome): void => {
    const err = errorTypeOf(outcome);
    if (err) {
      span.setAttribute('error.type', err.type);
      if (err.code !== undefined) span.setAttribute('rpc.response.status_code', String(err.code));
      if ('error' in outcome && outcome.error instanceof Error) span.recordException(outcome.error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    }
    span.end();
  };

  const startClientSpan = (info: McpRequestInfo, parent?: Context | Span): Span =>
    tracer.startSpan(
      mcpSpanName(info),
      { kind: SpanKind.CLIENT, attributes: mcpAttributes(info) },
      toContext(parent),
    );

  return {
    provider,
    tracer,
    startClientSpan,
    endSpan,
    async traceRequest(info, params, send, parent) {
      const span = startClientSpan(info, parent);
      try {
        const result = await send(injectTraceparent(params, span));
        endSpan(span, { result });
        return result;
      } catch (error) {
        endSpan(span, { error });
        throw error;
      }
    },
    startServerSpan(meta, name, attributes) {
      const info = typeof name === 'string' ? undefined : name;
      const spanName = info ? mcpSpanName(info) : (name as string);
      const attrs = { ...(info && mcpAttributes(info)), ...attributes };
      return tracer.startSpan(spanName, { kind: SpanKind.SERVER, attributes: attrs }, contextFromMeta(meta));
    },
    finishedSpans: () => memory.getFinishedSpans(),
    reset: () => memory.reset(),
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

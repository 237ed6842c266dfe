import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createTracing, errorTypeOf, type McpTracing } from '../../../harness/measure/otel.js';
import {
  contextFromMeta,
  extractTraceparent,
  injectTraceparent,
} from '../../../harness/measure/trace-context.js';

const CALL = {
  method: 'tools/call',
  toolName: 'search',
  sessionId: 'sess-1',
  requestId: 7,
  transport: 'stdio' as const,
};

/** A JSON-RPC error as the SDK throws it: an Error carrying a numeric code. */
class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
class ConnectionLost extends Error {}

let tracing: McpTracing;
afterEach(async () => {
  await tracing?.shutdown();
});

describe('client spans', () => {
  it('are named {mcp.method.name} {gen_ai.tool.name} with the MCP attributes', () => {
    tracing = createTracing();
    tracing.endSpan(tracing.startClientSpan(CALL), { result: { content: [{ type: 'text', text: 'ok' }] } });
    const [span] = tracing.finishedSpans();
    expect(span!.name).toBe('tools/call search');
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.attributes).toEqual({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'search',
      'gen_ai.operation.name': 'execute_tool',
      'mcp.session.id': 'sess-1',
      'jsonrpc.request.id': '7',
      'network.transport': 'pipe',
    });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('are named by the method alone without a tool; HTTP is tcp', () => {
    tracing = createTracing();
    tracing.endSpan(tracing.startClientSpan({ method: 'tools/list', transport: 'http' }), {
      result: { tools: [] },
    });
    const [span] = tracing.finishedSpans();
    expect(span!.name).toBe('tools/list');
    expect(span!.attributes['network.transport']).toBe('tcp');
    expect(span!.attributes['network.protocol.name']).toBe('http');
    expect(span!.attributes['gen_ai.tool.name']).toBeUndefined();
  });

  it('isError: true → error.type tool_error and error status', () => {
    tracing = createTracing();
    tracing.endSpan(tracing.startClientSpan(CALL), { result: { content: [], isError: true } });
    const [span] = tracing.finishedSpans();
    expect(span!.attributes['error.type']).toBe('tool_error');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('a JSON-RPC error → its code as error.type', () => {
    tracing = createTracing();
    tracing.endSpan(tracing.startClientSpan(CALL), { error: new ProtocolError(-32602, 'Invalid params') });
    tracing.endSpan(tracing.startClientSpan(CALL), {
      result: { jsonrpc: '2.0', id: 7, error: { code: -32601, message: 'Method not found' } },
    });
    const [thrown, response] = tracing.finishedSpans();
    expect(thrown!.attributes['error.type']).toBe('-32602');
    expect(thrown!.attributes['rpc.response.status_code']).toBe('-32602');
    expect(thrown!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'Invalid params' });
    expect(response!.attributes['error.type']).toBe('-32601');
  });

  it('any other exception → its class name, recorded as an event', () => {
    tracing = createTracing();
    tracing.endSpan(tracing.startClientSpan(CALL), { error: new ConnectionLost('socket closed') });
    const [span] = tracing.finishedSpans();
    expect(span!.attributes['error.type']).toBe('ConnectionLost');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
    expect(errorTypeOf({ error: 'a string' })).toEqual({ type: '_OTHER', message: 'a string' });
    expect(errorTypeOf({ result: { isError: false } })).toBeUndefined();
  });

  it('does not leak spans between tracing instances', () => {
    tracing = createTracing();
    const other = createTracing();
    other.startClientSpan(CALL).end();
    expect(tracing.finishedSpans()).toEqual([]);
    expect(other.finishedSpans()).toHaveLength(1);
    other.reset();
    expect(other.finishedSpans()).toEqual([]);
  });

  it('also feeds a caller-provided exporter', () => {
    const exporter = new InMemorySpanExporter();
    tracing = createTracing({ exporter, keepInMemory: false });
    tracing.startClientSpan(CALL).end();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['tools/call search']);
    expect(tracing.finishedSpans()).toEqual([]);
  });
});

describe('trace context in _meta', () => {
  it('injects the span traceparent without mutating the input, and round-trips through extract', () => {
    tracing = createTracing();
    const span = tracing.startClientSpan(CALL);
    const params = { name: 'search', arguments: { q: 'x' }, _meta: { progressToken: 'p1' } };
    const before = structuredClone(params);
    const out = injectTraceparent(params, span);
    const { traceId, spanId } = span.spanContext();
    expect(out._meta.traceparent).toBe(`00-${traceId}-${spanId}-01`);
    expect(out._meta.progressToken).toBe('p1');
    expect(out.arguments).toEqual({ q: 'x' });
    expect(params).toEqual(before);
    expect(extractTraceparent(out._meta)).toEqual({ traceId, spanId, sampled: true });
    expect(out._meta.tracestate).toBeUndefined();
  });

  it('works without params and from a Context', () => {
    tracing = createTracing();
    const span = tracing.startClientSpan(CALL);
    const out = injectTraceparent(undefined, trace.setSpan(ROOT_CONTEXT, span));
    expect(extractTraceparent(out._meta)?.spanId).toBe(span.spanContext().spanId);
    // Nothing to inject from an empty context: _meta stays as it was.
    expect(injectTraceparent({ a: 1 }, ROOT_CONTEXT)).toEqual({ a: 1, _meta: {} });
  });

  it('extract rejects absent or malformed context and reads the sampled flag and tracestate', () => {
    expect(extractTraceparent(undefined)).toBeUndefined();
    expect(extractTraceparent({})).toBeUndefined();
    expect(extractTraceparent({ traceparent: 'garbage' })).toBeUndefined();
    expect(extractTraceparent({ traceparent: `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01` })).toBeUndefined();
    const tp = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-00`;
    expect(extractTraceparent({ traceparent: tp, tracestate: 'vendor=abc' })).toEqual({
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      sampled: false,
      traceState: 'vendor=abc',
    });
    expect(contextFromMeta('nope')).toBe(ROOT_CONTEXT);
  });

  it('a server span started from _meta continues the trace with the client span as parent', () => {
    tracing = createTracing();
    const client = tracing.startClientSpan(CALL);
    const meta = injectTraceparent({}, client)._meta;
    const server = tracing.startServerSpan(meta, 'tools/call search');
    server.end();
    client.end();
    const [s, c] = tracing.finishedSpans();
    expect(s!.kind).toBe(SpanKind.SERVER);
    expect(s!.name).toBe('tools/call search');
    expect(s!.spanContext().traceId).toBe(c!.spanContext().traceId);
    expect(s!.parentSpanContext?.spanId).toBe(c!.spanContext().spanId);
    expect(s!.parentSpanContext?.isRemote).toBe(true);
  });

  it('carries tracestate downstream and names server spans from request info', () => {
    tracing = createTracing();
    const tp = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
    const server = tracing.startServerSpan(
      { traceparent: tp, tracestate: 'vendor=abc' },
      { method: 'prompts/get', promptName: 'greet' },
    );
    const out = injectTraceparent({}, server);
    expect(out._meta.tracestate).toBe('vendor=abc');
    server.end();
    const [span] = tracing.finishedSpans();
    expect(span!.name).toBe('prompts/get greet');
    expect(span!.attributes['gen_ai.prompt.name']).toBe('greet');
    expect(span!.spanContext().traceId).toBe('a'.repeat(32));
  });

  it('a server span without trace context starts a new trace', () => {
    tracing = createTracing();
    tracing.startServerSpan(undefined, 'tools/call x').end();
    expect(tracing.finishedSpans()[0]!.parentSpanContext).toBeUndefined();
  });
});

describe('traceRequest', () => {
  it('sends params carrying the traceparent and ends the span with the outcome', async () => {
    tracing = createTracing();
    let sent: Record<string, unknown> | undefined;
    const result = await tracing.traceRequest(CALL, { name: 'search' }, async (p) => {
      sent = p._meta;
      return { content: [], isError: true };
    });
    expect(result.isError).toBe(true);
    const [span] = tracing.finishedSpans();
    expect(extractTraceparent(sent)?.spanId).toBe(span!.spanContext().spanId);
    expect(span!.attributes['error.type']).toBe('tool_error');
  });

  it('rethrows and records failures', async () => {
    tracing = createTracing();
    await expect(
      tracing.traceRequest(CALL, {}, async () => {
        throw new ProtocolError(-32001, 'Request timed out');
      }),
    ).rejects.toThrow('Request timed out');
    expect(tracing.finishedSpans()[0]!.attributes['error.type']).toBe('-32001');
  });

  it('nests under an explicit parent span', () => {
    tracing = createTracing();
    const step = tracing.tracer.startSpan('step fetch');
    tracing.startClientSpan(CALL, step).end();
    step.end();
    const [child, parent] = tracing.finishedSpans();
    expect(child!.parentSpanContext?.spanId).toBe(parent!.spanContext().spanId);
  });
});

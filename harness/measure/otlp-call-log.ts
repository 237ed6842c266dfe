import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { CallRecord } from '../schema/call-log.js';
import { mcpAttributes, mcpSpanName } from './otel.js';
import { serviceResource } from './otlp-resource.js';
import { contextFromMeta } from './trace-context.js';

/** `error.type` of a call the mock served: per the MCP conventions, or the mock's own outcome name. */
export function serverErrorType(r: CallRecord): string | undefined {
  if (r.outcome === 'result') return undefined;
  if (r.outcome === 'isError') return 'tool_error';
  if (r.outcome === 'error' && r.errorCode !== undefined) return String(r.errorCode);
  return r.outcome;
}

/**
 * The mocks' SERVER spans, rebuilt from their call logs after a run: one span per request a
 * mock received, timed by the mock's own clock (received → completed), a child of the span whose
 * `traceparent` arrived in `_meta` (so a gateway in between shows as the gap). Each mock is its
 * own service (`mock NAME`) so a trace viewer draws the waterfall across processes.
 */
export class CallLogSpans {
  private readonly providers = new Map<string, BasicTracerProvider>();
  private readonly seen = new Set<string>();

  constructor(private readonly exporterFor: () => SpanExporter) {}

  /** Turn records into spans (each record once, however often it is passed); returns how many. */
  add(records: readonly CallRecord[]): number {
    let n = 0;
    for (const r of records) {
      const key = `${r.mock}/${r.instance}#${r.seq}`;
      if (r.kind !== 'request' || this.seen.has(key)) continue;
      this.seen.add(key);
      this.span(r);
      n++;
    }
    return n;
  }

  private span(r: CallRecord): void {
    const tracer = this.provider(r.mock).getTracer('mcp-harness-mock');
    const info = { method: r.method, toolName: r.tool, sessionId: r.connection, requestId: r.id };
    const parent = contextFromMeta(r.traceparent ? { ...r.meta, traceparent: r.traceparent } : r.meta);
    const span = tracer.startSpan(
      mcpSpanName(info),
      {
        kind: SpanKind.SERVER,
        startTime: r.receivedUs / 1000,
        attributes: {
          ...mcpAttributes(info),
          'mcp.mock.name': r.mock,
          'mcp.mock.faults': r.faults.join(','),
        },
      },
      parent,
    );
    const errorType = serverErrorType(r);
    if (errorType) {
      span.setAttribute('error.type', errorType);
      if (r.errorCode !== undefined) span.setAttribute('rpc.response.status_code', String(r.errorCode));
      span.setStatus({ code: SpanStatusCode.ERROR, message: `mock outcome: ${r.outcome}` });
    }
    span.end((r.completedUs ?? r.firstByteUs ?? r.receivedUs) / 1000);
  }

  private provider(mock: string): BasicTracerProvider {
    let p = this.providers.get(mock);
    if (!p) {
      p = new BasicTracerProvider({
        resource: serviceResource(`mock ${mock}`, { 'mcp.mock.name': mock }),
        spanProcessors: [new BatchSpanProcessor(this.exporterFor())],
      });
      this.providers.set(mock, p);
    }
    return p;
  }

  /** Flush and close every mock's provider (and its exporter). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.providers.values()].map((p) => p.shutdown()));
    this.providers.clear();
  }
}

import type { Attributes, Histogram } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** The MCP semantic conventions' client metric: duration of one MCP request, seconds. */
export const CLIENT_OPERATION_DURATION = 'mcp.client.operation.duration';

/** Bucket boundaries the MCP semantic conventions advise for operation durations (seconds). */
export const OPERATION_DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

/** Span attributes carried over to the metric (low cardinality only: no ids). */
const METRIC_ATTRIBUTES = [
  'mcp.method.name',
  'gen_ai.tool.name',
  'gen_ai.prompt.name',
  'error.type',
  'network.transport',
  'mcp.protocol.version',
  'rpc.response.status_code',
] as const;

/**
 * Records `mcp.client.operation.duration` from every finished MCP CLIENT span, so the metric
 * and the spans always agree (same start, same end, same `error.type`).
 */
export class ClientDurationProcessor implements SpanProcessor {
  constructor(private readonly histogram: Histogram) {}

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    const method = span.attributes['mcp.method.name'];
    if (span.kind !== SpanKind.CLIENT || typeof method !== 'string') return;
    const attributes: Attributes = {};
    for (const k of METRIC_ATTRIBUTES) {
      const v = span.attributes[k];
      if (v !== undefined) attributes[k] = v;
    }
    this.histogram.record(hrTimeToMilliseconds(span.duration) / 1000, attributes);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

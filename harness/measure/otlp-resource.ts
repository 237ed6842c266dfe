import type { ExportResult } from '@opentelemetry/core';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** The resource spans are exported under: who made them, as Jaeger/Tempo show it. */
export function serviceResource(serviceName: string, attributes: Record<string, string> = {}): Resource {
  return resourceFromAttributes({
    'service.name': serviceName,
    'telemetry.sdk.name': 'mcp-harness',
    ...attributes,
  });
}

/**
 * Exports spans under a given resource. The harness's tracer provider (harness/measure/otel.ts)
 * is built without one; each span is seen through an object whose `resource` is replaced, the
 * span itself untouched (other processors, e.g. the in-memory one, see it unchanged).
 */
export class ResourceSpanExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly resource: Resource,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const seen = spans.map((s) => Object.create(s, { resource: { value: this.resource } }) as ReadableSpan);
    this.inner.export(seen, done);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

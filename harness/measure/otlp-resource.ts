import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** The resource spans are exported under: who made them, as Jaeger/Tempo show it. */
export function serviceResource(serviceName: string, attributes: Record<string, string> = {}): Resource {
  return resourceFromAttributes({
    'service.name': serviceName,
    'telemetry.sdk.name': 'mcp-harness',
    ...attributes,
  });
}

/** Called with the reason of each export the collector did not accept (or that never arrived). */
export type ExportFailure = (signal: 'traces' | 'metrics' | 'flush', reason: string) => void;

const reasonOf = (r: ExportResult): string => r.error?.message ?? 'export failed';

/**
 * A span exporter seen through: failed exports are reported, and optionally every span is
 * exported under a given resource. The harness's tracer provider (harness/measure/otel.ts) is
 * built without one; each span is seen through an object whose `resource` is replaced, the span
 * itself untouched (other processors, e.g. the in-memory one, see it unchanged).
 */
export class TappedSpanExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly onFailure: ExportFailure,
    private readonly resource?: Resource,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const resource = this.resource;
    const seen = resource
      ? spans.map((s) => Object.create(s, { resource: { value: resource } }) as ReadableSpan)
      : spans;
    this.inner.export(seen, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) this.onFailure('traces', reasonOf(result));
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** A metric exporter whose failed exports are reported. */
export class TappedMetricExporter implements PushMetricExporter {
  constructor(
    private readonly inner: PushMetricExporter,
    private readonly onFailure: ExportFailure,
  ) {}

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    this.inner.export(metrics, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) this.onFailure('metrics', reasonOf(result));
      done(result);
    });
  }

  /** The OTLP exporter's own choices (cumulative temporality by default). */
  selectAggregationTemporality(type: InstrumentType): AggregationTemporality {
    return this.inner.selectAggregationTemporality?.(type) ?? AggregationTemporality.CUMULATIVE;
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

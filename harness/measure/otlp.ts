import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { Resource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';
import { zodProblems } from '../config/problems.js';
import { HarnessError } from '../errors.js';
import type { CallRecord } from '../schema/call-log.js';
import { createTracing, type McpTracing } from './otel.js';
import { CallLogSpans } from './otlp-call-log.js';
import { CheckSpans } from './otlp-checks.js';
import {
  CLIENT_OPERATION_DURATION,
  ClientDurationProcessor,
  OPERATION_DURATION_BUCKETS,
} from './otlp-metrics.js';
import { ProbeSpans } from './otlp-probes.js';
import {
  type ExportFailure,
  serviceResource,
  TappedMetricExporter,
  TappedSpanExporter,
} from './otlp-resource.js';

export const OtlpOptionsSchema = z.object({
  /** OTLP/HTTP base URL (`http://collector:4318`); `/v1/traces` and `/v1/metrics` are appended. */
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://127.0.0.1:4318' }),
  serviceName: z.string().min(1).default('mcp-harness'),
  headers: z.record(z.string(), z.string()).default({}),
  /** Per-export timeout: a collector that does not answer delays the exit by at most this. */
  timeoutMs: z.number().int().positive().default(5_000),
});
export type OtlpOptions = z.input<typeof OtlpOptionsSchema> & {
  /** Each failed export (default: one stderr line per distinct reason, so a dead collector is visible). */
  onFailure?: ExportFailure;
};

export interface OtlpExport {
  /** Give this to runScenarios / runScenario / the probe: its spans are exported. */
  tracing: McpTracing;
  /** The mocks' server spans, from their call logs (joined to the client spans by traceparent). */
  addCallLog(records: readonly CallRecord[]): number;
  /** Spans for a conformance run (a root span and one per check result; see otlp-checks.ts). */
  checkSpans(target: string): CheckSpans;
  /** Spans for probes (one per probe result, a child per phase; see otlp-probes.ts). */
  probeSpans(): ProbeSpans;
  /** Flush spans and the metric, then close every exporter. Safe to call twice. */
  shutdown(): Promise<void>;
  /** Reasons of the exports that failed so far (distinct, at most 20). */
  failures(): string[];
}

/** `http://h:4318`, `http://h:4318/` and `http://h:4318/v1/traces` all mean the same collector. */
function signalUrl(base: string, signal: 'traces' | 'metrics'): string {
  const root = base.replace(/\/+$/, '').replace(/\/v1\/(traces|metrics)$/, '');
  return `${root}/v1/${signal}`;
}

/** Validate OTLP options; bad input is a HarnessError listing every problem (exit 2). */
export function parseOtlpOptions(input: OtlpOptions, flag = '--otlp'): z.output<typeof OtlpOptionsSchema> {
  const parsed = OtlpOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = zodProblems(parsed.error).map((p) => ({
    path: p.path === 'url' ? flag : p.path,
    message: p.message,
  }));
  throw new HarnessError('INVALID_ARGS', `${flag}: ${problems.length} problem(s)`, { problems });
}

/**
 * OTLP/HTTP export (JSON) of the harness's MCP client spans, the mocks' server spans and the
 * `mcp.client.operation.duration` histogram, with the official OpenTelemetry exporters.
 */
export function createOtlpExport(input: OtlpOptions): OtlpExport {
  const { onFailure, ...rest } = input;
  const o = parseOtlpOptions(rest);
  const failures = new Set<string>();
  const failed: ExportFailure = (signal, reason) => {
    const line = `${signal}: ${reason}`;
    if (failures.has(line) || failures.size >= 20) return;
    failures.add(line);
    if (onFailure) onFailure(signal, reason);
    else process.stderr.write(`otlp: export of ${signal} to ${o.url} failed: ${reason}\n`);
  };
  const exporterConfig = { headers: o.headers, timeoutMillis: o.timeoutMs };
  const traceExporter = (resource?: Resource) =>
    new TappedSpanExporter(
      new OTLPTraceExporter({ ...exporterConfig, url: signalUrl(o.url, 'traces') }),
      failed,
      resource,
    );
  const meterProvider = new MeterProvider({
    resource: serviceResource(o.serviceName),
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new TappedMetricExporter(
          new OTLPMetricExporter({ ...exporterConfig, url: signalUrl(o.url, 'metrics') }),
          failed,
        ),
        exportIntervalMillis: 60_000,
        exportTimeoutMillis: o.timeoutMs,
      }),
    ],
  });
  const histogram = meterProvider.getMeter('mcp-harness').createHistogram(CLIENT_OPERATION_DURATION, {
    unit: 's',
    description: 'Duration of one MCP request as the client sees it',
    advice: { explicitBucketBoundaries: OPERATION_DURATION_BUCKETS },
  });
  const tracing = createTracing({
    keepInMemory: false,
    spanProcessors: [
      new ClientDurationProcessor(histogram),
      new BatchSpanProcessor(traceExporter(serviceResource(o.serviceName))),
    ],
  });
  const callLog = new CallLogSpans(() => traceExporter());
  let closing: Promise<void> | undefined;
  return {
    tracing,
    addCallLog: (records) => callLog.add(records),
    checkSpans: (target) => new CheckSpans(tracing.tracer, target),
    probeSpans: () => new ProbeSpans(tracing.tracer),
    failures: () => [...failures],
    shutdown() {
      // A collector that is down or slow must not fail the run: its errors become failures().
      closing ??= Promise.allSettled([tracing.shutdown(), callLog.shutdown(), meterProvider.shutdown()]).then(
        (settled) => {
          for (const r of settled)
            if (r.status === 'rejected') failed('flush', String(r.reason?.message ?? r.reason));
        },
      );
      return closing;
    },
  };
}

/** Run `fn` with an OTLP export when `url` is set (none otherwise); always flushed and closed. */
export async function withOtlp<T>(
  url: string | undefined,
  fn: (otlp: OtlpExport | undefined) => Promise<T>,
  options: Omit<OtlpOptions, 'url'> = {},
): Promise<T> {
  if (url === undefined) return fn(undefined);
  const otlp = createOtlpExport({ ...options, url });
  try {
    return await fn(otlp);
  } finally {
    await otlp.shutdown();
  }
}

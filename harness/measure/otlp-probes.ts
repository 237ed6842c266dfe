import { ROOT_CONTEXT, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { ProbeResult } from '../../probes/result.js';

/**
 * One span per probe (`probe MODULE TARGET`), lasting the probe, with a child
 * span per phase it timed (connect, initialize, list, call — one after the
 * other, as the probe ran them). A failed probe carries the error status,
 * `error.type` = its failure kind and the reason, so a trace viewer shows
 * which target failed, when and in which phase.
 */
export class ProbeSpans {
  constructor(private readonly tracer: Tracer) {}

  add(r: ProbeResult): void {
    const startMs = Date.parse(r.startedAt);
    const endMs = startMs + r.durationUs / 1000;
    const span = this.tracer.startSpan(
      `probe ${r.module} ${r.target}`,
      {
        kind: SpanKind.CLIENT,
        startTime: startMs,
        attributes: {
          'mcp_harness.probe.target': r.target,
          'mcp_harness.probe.module': r.module,
          'mcp_harness.probe.success': r.success,
          ...Object.fromEntries(
            Object.entries(r.labels).map(([k, v]) => [`mcp_harness.probe.label.${k}`, v]),
          ),
          ...(r.tools !== undefined ? { 'mcp_harness.probe.tools': r.tools } : {}),
        },
      },
      ROOT_CONTEXT,
    );
    let at = startMs;
    for (const [phase, us] of Object.entries(r.phasesUs)) {
      const phaseEnd = at + us / 1000;
      this.tracer
        .startSpan(
          `probe phase ${phase}`,
          { kind: SpanKind.INTERNAL, startTime: at, attributes: { 'mcp_harness.probe.phase': phase } },
          trace.setSpan(ROOT_CONTEXT, span),
        )
        .end(phaseEnd);
      at = phaseEnd;
    }
    if (!r.success) {
      span.setAttribute('error.type', r.kind ?? 'probe_failed');
      span.setStatus({ code: SpanStatusCode.ERROR, message: (r.reason ?? '').slice(0, 500) });
    }
    span.end(endMs);
  }
}

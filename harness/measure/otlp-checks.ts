import { ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { CheckResult } from '../schema/result.js';

/**
 * Spans for a conformance run: one root span `mcp-harness check TARGET` and one child per check
 * (`check ID`), ending when its result is known and lasting its `durationMs`. Failed and blocked
 * checks carry the error status with the observation, so a trace viewer shows what failed when.
 */
export class CheckSpans {
  private readonly root: Span;
  private readonly counts: Record<string, number> = {};

  constructor(
    private readonly tracer: Tracer,
    target: string,
  ) {
    this.root = tracer.startSpan(`mcp-harness check ${target}`, {
      kind: SpanKind.INTERNAL,
      attributes: { 'mcp_harness.target': target },
    });
  }

  add(result: CheckResult): void {
    const end = Date.now();
    const span = this.tracer.startSpan(
      `check ${result.id}`,
      {
        kind: SpanKind.INTERNAL,
        startTime: end - result.durationMs,
        attributes: {
          'mcp_harness.check.id': result.id,
          'mcp_harness.check.suite': result.suite,
          'mcp_harness.check.status': result.status,
          'mcp_harness.check.spec_ref': result.specRef,
        },
      },
      trace.setSpan(ROOT_CONTEXT, this.root),
    );
    if (result.status === 'fail' || result.status === 'blocked') {
      span.setAttribute('error.type', `check_${result.status}`);
      span.setStatus({ code: SpanStatusCode.ERROR, message: result.observed.slice(0, 500) });
    }
    span.end(end);
    this.counts[result.status] = (this.counts[result.status] ?? 0) + 1;
  }

  /** End the root span with the count of each status. */
  end(): void {
    for (const [status, n] of Object.entries(this.counts))
      this.root.setAttribute(`mcp_harness.checks.${status}`, n);
    if (this.counts.fail || this.counts.blocked) this.root.setStatus({ code: SpanStatusCode.ERROR });
    this.root.end();
  }
}

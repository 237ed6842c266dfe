import * as hdr from 'hdr-histogram-js';
import {
  buildRunReport,
  type CheckResult,
  type HistogramSummary,
  type RunReport,
  type ScenarioResult,
} from '../../../harness/schema/result.js';

/** A real HDR summary of the given integer µs values, as the measure module would produce. */
export function histogram(metric: string, tags: Record<string, string>, values: number[]): HistogramSummary {
  const h = hdr.build();
  for (const v of values) h.recordValue(v);
  const at = (p: number) => h.getValueAtPercentile(p);
  const summary: HistogramSummary = {
    metric,
    tags,
    count: h.totalCount,
    min: h.minNonZeroValue,
    max: h.maxValue,
    mean: Math.round(h.mean),
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    hdr: hdr.encodeIntoCompressedBase64(h),
  };
  h.destroy();
  return summary;
}

export function check(overrides: Partial<CheckResult> & Pick<CheckResult, 'id'>): CheckResult {
  return {
    title: `title of ${overrides.id}`,
    suite: overrides.id.split('.')[0] ?? 'misc',
    status: 'pass',
    specRef: 'https://modelcontextprotocol.io/specification/2025-11-25/server/tools',
    expected: 'something',
    observed: 'something',
    durationMs: 3,
    ...overrides,
  };
}

export const NASTY = 'a <b> & "c" \u0001\u001b[31m ]]> ]]> | pipe';

/**
 * Checks: 2 pass, 1 fail, 1 warn, 1 skip, 1 expected failure, 1 stale.
 * Scenarios: `failover` (4 expectations, one failing; 2 thresholds, one failing)
 * and `pipeline` (one step failing with no expectation to explain it).
 * Totals: 7 passed, 5 failed, 1 warned, 2 skipped; 15 JUnit testcases,
 * 5 failures, 2 skipped.
 */
export function fixtureReport(): RunReport {
  const checks: CheckResult[] = [
    check({ id: 'gateway.tools-exposed-once', title: 'every downstream tool exposed exactly once' }),
    check({
      id: 'gateway.iserror-propagated',
      title: 'isError from a downstream tool reaches the client',
      status: 'fail',
      severity: 'must',
      expected: 'result.isError === true',
      observed: NASTY,
      reason: 'the gateway turned the tool error into a JSON-RPC error',
      evidence: { response: { error: { code: -32603, message: 'boom' } } },
    }),
    check({
      id: 'gateway.latency-budget',
      title: 'gateway adds under 5 ms',
      status: 'warn',
      severity: 'should',
      expected: 'overhead < 5 ms',
      observed: 'overhead 7.2 ms',
    }),
    check({
      id: 'gateway.sse-resume',
      title: 'SSE stream resumes',
      status: 'skip',
      reason: 'target has no SSE',
    }),
    check({
      id: 'gateway.token-passthrough',
      title: 'no token passthrough',
      status: 'fail',
      expectedFailure: true,
      expected: 'no Authorization header downstream',
      observed: 'Authorization: Bearer …',
    }),
    check({
      id: 'gateway.hang-timeout',
      title: 'dead backend times out',
      status: 'pass',
      expectedFailure: true,
      stale: true,
    }),
    check({
      id: 'security.no-secrets-in-logs',
      title: 'no secrets in logs',
      specRef: 'MCP security best practices §3',
    }),
  ];
  const failover: ScenarioResult = {
    scenario: 'failover',
    target: 'gw.yaml',
    pattern: 'gateway',
    status: 'fail',
    startedAt: '2026-01-02T03:04:05.678Z',
    durationMs: 2100,
    steps: [
      {
        name: 'search',
        kind: 'call',
        status: 'pass',
        durationUs: 1234,
        tool: 'search.query',
        outcome: 'ok',
        downstreamUs: 1000,
        overheadUs: 234,
        attribution: 'traceparent',
        expectations: [
          {
            step: 'search',
            expectation: 'isError: false',
            status: 'pass',
            expected: 'false',
            observed: 'false',
          },
          {
            step: 'search',
            expectation: 'within 200ms',
            status: 'pass',
            expected: '< 200 ms',
            observed: '1.23 ms',
          },
        ],
      },
      {
        name: 'kill-docs',
        kind: 'fault',
        status: 'pass',
        durationUs: 850,
        expectations: [],
      },
      {
        name: 'fetch',
        kind: 'call',
        status: 'fail',
        durationUs: 250_000,
        tool: 'docs.fetch',
        outcome: 'timeout',
        expectations: [
          {
            step: 'fetch',
            expectation: 'within 200ms',
            status: 'fail',
            expected: '< 200 ms',
            observed: '250 ms',
          },
          {
            step: 'fetch',
            expectation: 'no hang',
            status: 'pass',
            expected: 'answer',
            observed: 'timeout error',
          },
        ],
      },
    ],
    thresholds: [
      { metric: 'step_duration', expression: 'p(95)<50ms', observed: 'p(95)=1.5 ms', pass: true },
      { metric: 'step_duration', expression: 'p(99)<100ms', observed: 'p(99)=250 ms', pass: false },
    ],
    histograms: [
      histogram(
        'step_duration',
        { scenario: 'failover', step: 'search' },
        [900, 1100, 1234, 1500, 1800, 2_100_000],
      ),
      histogram('downstream_duration', { server: 'search', tool: 'query' }, [700, 800, 950]),
    ],
    propagation: { traceContext: true, argumentsUnchanged: null },
  };
  const pipeline: ScenarioResult = {
    scenario: 'pipeline',
    target: 'chain.yaml',
    pattern: 'chain',
    status: 'fail',
    startedAt: '2026-01-02T03:04:08.000Z',
    durationMs: 40,
    steps: [
      {
        name: 'lookup',
        kind: 'call',
        status: 'pass',
        durationUs: 12_345,
        tool: 'kb.lookup',
        outcome: 'ok',
        expectations: [
          {
            step: 'lookup',
            expectation: 'text contains "x"',
            status: 'pass',
            expected: 'x',
            observed: 'x y',
          },
        ],
      },
      {
        name: 'summarize',
        kind: 'call',
        status: 'fail',
        durationUs: 3_000,
        tool: 'llm.summarize',
        outcome: 'transport',
        reason: 'connection reset by peer',
        expectations: [],
      },
    ],
    thresholds: [],
    histograms: [],
  };
  return buildRunReport({
    version: '0.1.0',
    startedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 4321,
    scenarios: [failover, pipeline],
    checks,
  });
}

/** A run where everything passed. */
export function passingReport(): RunReport {
  return buildRunReport({
    version: '0.1.0',
    startedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 10,
    scenarios: [],
    checks: [check({ id: 'gateway.tools-exposed-once' }), check({ id: 'gateway.initialize' })],
  });
}

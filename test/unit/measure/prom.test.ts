import { type OpenMetricsContentType, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createPromSink, DURATION_BUCKETS_SECONDS, PROM_METRICS } from '../../../harness/measure/prom.js';

interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
  exemplar?: string;
}

/** Minimal OpenMetrics text parser: enough to find a series by name and label subset. */
function parse(text: string): Series[] {
  const out: Series[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*?)\})? (\S+)(?: # (.*))?$/.exec(line);
    if (!m) throw new Error(`unparsable line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    out.push({ name: m[1]!, labels, value: Number(m[3]), ...(m[4] && { exemplar: m[4] }) });
  }
  return out;
}

function find(series: Series[], name: string, labels: Record<string, string> = {}): Series[] {
  return series.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

const STEP = { scenario: 'checkout', step: 'fetch', target: 'gw', pattern: 'gateway', outcome: 'ok' };
const TRACE = '0af7651916cd43dd8448eb211c80319c';

describe('createPromSink', () => {
  it('uses an OpenMetrics registry and declares every DESIGN metric', async () => {
    const sink = createPromSink();
    expect(sink.registry.contentType).toBe(Registry.OPENMETRICS_CONTENT_TYPE);
    const text = await sink.metrics();
    expect(text.trimEnd().endsWith('# EOF')).toBe(true);
    expect(text).toContain(`# TYPE ${PROM_METRICS.stepDuration} histogram`);
    expect(text).toContain(`# TYPE ${PROM_METRICS.downstreamDuration} histogram`);
    expect(text).toContain(`# TYPE ${PROM_METRICS.overhead} histogram`);
    expect(text).toContain(`# TYPE ${PROM_METRICS.checkStatus} gauge`);
  });

  it('records µs as seconds with the exact step labels (1500 µs → sum 0.0015)', async () => {
    const sink = createPromSink();
    sink.observeStep(STEP, 1500);
    const series = parse(await sink.metrics());
    const name = 'mcp_harness_step_duration_seconds';
    expect(find(series, `${name}_sum`)).toEqual([{ name: `${name}_sum`, labels: STEP, value: 0.0015 }]);
    expect(find(series, `${name}_count`, STEP)[0]!.value).toBe(1);
    expect(find(series, `${name}_bucket`, { le: '0.001' })[0]!.value).toBe(0);
    expect(find(series, `${name}_bucket`, { le: '0.0025' })[0]!.value).toBe(1);
    expect(find(series, `${name}_bucket`, { le: '+Inf' })[0]!.value).toBe(1);
    const les = find(series, `${name}_bucket`).map((s) => s.labels.le);
    expect(les).toEqual([...DURATION_BUCKETS_SECONDS.map(String), '+Inf']);
    expect(DURATION_BUCKETS_SECONDS[0]).toBe(0.0001);
    expect(DURATION_BUCKETS_SECONDS.at(-1)).toBe(60);
  });

  it('labels downstream and overhead histograms exactly, ignoring stray keys', async () => {
    const sink = createPromSink();
    sink.observeDownstream(
      { server: 'search', tool: 'web', outcome: 'tool_error', extra: 'x' } as never,
      250_000,
    );
    sink.observeOverhead({ target: 'gw', step: 'fetch' }, 300);
    sink.observeOverhead({ target: 'gw', step: 'fetch' }, 700);
    const series = parse(await sink.metrics());
    const [down] = find(series, 'mcp_harness_downstream_duration_seconds_sum');
    expect(down).toEqual({
      name: 'mcp_harness_downstream_duration_seconds_sum',
      labels: { server: 'search', tool: 'web', outcome: 'tool_error' },
      value: 0.25,
    });
    const [over] = find(series, 'mcp_harness_overhead_seconds_sum');
    expect(over!.labels).toEqual({ target: 'gw', step: 'fetch' });
    expect(over!.value).toBeCloseTo(0.001, 12);
    expect(find(series, 'mcp_harness_overhead_seconds_count')[0]!.value).toBe(2);
  });

  it('attaches a trace_id exemplar to the bucket of the observation', async () => {
    const sink = createPromSink();
    sink.observeStep(STEP, 1500, { trace_id: TRACE });
    sink.observeStep(STEP, 120_000_000, { trace_id: TRACE }); // beyond the last bucket: +Inf
    const series = parse(await sink.metrics());
    const withExemplar = find(series, 'mcp_harness_step_duration_seconds_bucket').filter((s) => s.exemplar);
    expect(withExemplar.map((s) => s.labels.le)).toEqual(['0.0025', '+Inf']);
    expect(withExemplar[0]!.exemplar).toMatch(new RegExp(`^\\{trace_id="${TRACE}"\\} 0\\.0015 `));
  });

  it('sets check status as a one-hot gauge', async () => {
    const sink = createPromSink();
    sink.setCheckStatus('gateway', 'gw-iserror', 'pass');
    sink.setCheckStatus('gateway', 'gw-iserror', 'fail');
    const rows = find(parse(await sink.metrics()), 'mcp_harness_check_status', {
      suite: 'gateway',
      check: 'gw-iserror',
    });
    expect(Object.fromEntries(rows.map((r) => [r.labels.status, r.value]))).toEqual({
      pass: 0,
      fail: 1,
      warn: 0,
      skip: 0,
      blocked: 0,
    });
  });

  it('keeps sinks independent and refuses a Prometheus-format registry', async () => {
    const a = createPromSink();
    const b = createPromSink();
    a.observeOverhead({ target: 't', step: 's' }, 10);
    expect(find(parse(await b.metrics()), 'mcp_harness_overhead_seconds_count')).toEqual([]);
    expect(() => createPromSink({ registry: new Registry() as never })).toThrow(/OpenMetrics/);
    const shared = new Registry<OpenMetricsContentType>();
    shared.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    expect(createPromSink({ registry: shared }).registry).toBe(shared);
  });
});

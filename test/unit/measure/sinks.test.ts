import { describe, expect, it } from 'vitest';
import { nowUs } from '../../../harness/measure/clock.js';
import * as measure from '../../../harness/measure/index.js';
import { createPromSink } from '../../../harness/measure/prom.js';
import { createSinks } from '../../../harness/measure/sinks.js';
import { type Sample, SampleSchema } from '../../../harness/schema/sample.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('SampleSchema', () => {
  it('accepts a sample and rejects fractional timestamps, bad trace ids and stray keys', () => {
    const s = { metric: 'step_duration', value: 1500, tags: { step: 'a' }, t: nowUs() };
    expect(SampleSchema.parse(s)).toEqual(s);
    expect(SampleSchema.safeParse({ ...s, t: 1.5 }).success).toBe(false);
    expect(SampleSchema.safeParse({ ...s, traceId: 'XYZ' }).success).toBe(false);
    expect(SampleSchema.safeParse({ ...s, tags: { n: 1 } }).success).toBe(false);
    expect(SampleSchema.safeParse({ ...s, extra: 1 }).success).toBe(false);
  });
});

describe('createSinks', () => {
  const step: Sample = {
    metric: 'step_duration',
    value: 1500,
    tags: { scenario: 's', step: 'fetch', target: 'gw', pattern: 'gateway', outcome: 'ok', run: 'r1' },
    t: 1,
    traceId: TRACE,
  };

  it('fans a sample out to the HDR set, prom (by metric name) and onSample', async () => {
    const prom = createPromSink();
    const seen: Sample[] = [];
    const sinks = createSinks({ prom, onSample: (s) => seen.push(s) });
    sinks.record(step);
    sinks.record({
      metric: 'downstream_duration',
      value: 250_000,
      tags: { server: 'search', tool: 'web' },
      t: 2,
    });
    sinks.record({ metric: 'overhead', value: 300, tags: { target: 'gw', step: 'fetch' }, t: 3 });
    sinks.record({ metric: 'custom_duration', value: 42, tags: {}, t: 4 });

    expect(sinks.histograms.entries().map((e) => [e.metric, e.histogram.count])).toEqual([
      ['step_duration', 1],
      ['downstream_duration', 1],
      ['overhead', 1],
      ['custom_duration', 1],
    ]);
    // HDR keeps every tag (run included); prom keeps only its declared labels.
    expect(sinks.histograms.entries()[0]!.tags.run).toBe('r1');
    const text = await prom.metrics();
    expect(text).toContain(
      'mcp_harness_step_duration_seconds_sum{scenario="s",step="fetch",target="gw",pattern="gateway",outcome="ok"} 0.0015',
    );
    expect(text).toContain(`# {trace_id="${TRACE}"} 0.0015`);
    expect(text).toContain(
      'mcp_harness_downstream_duration_seconds_sum{server="search",tool="web",outcome=""} 0.25',
    );
    expect(text).toContain('mcp_harness_overhead_seconds_sum{target="gw",step="fetch"} 0.0003');
    expect(text).not.toContain('custom');
    expect(seen.map((s) => s.metric)).toEqual([
      'step_duration',
      'downstream_duration',
      'overhead',
      'custom_duration',
    ]);
  });

  it('works without prom, recording into a given HistogramSet', () => {
    const histograms = new measure.HistogramSet();
    const sinks = createSinks({ histograms });
    sinks.record({ ...step, value: 1.6 });
    expect(sinks.histograms).toBe(histograms);
    expect(sinks.prom).toBeUndefined();
    expect(histograms.select('step_duration')!.min).toBe(2);
  });

  it('index re-exports the public pieces', () => {
    for (const name of [
      'LatencyHistogram',
      'HistogramSet',
      'createPromSink',
      'createTracing',
      'createSinks',
      'injectTraceparent',
      'extractTraceparent',
      'parseThresholdExpression',
      'compileThresholds',
      'evaluateThreshold',
      'ThresholdConfigSchema',
      'SampleSchema',
      'nowUs',
    ]) {
      expect(measure, name).toHaveProperty(name);
    }
  });
});

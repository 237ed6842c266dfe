import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../harness/errors.js';
import { formatCount, formatDuration, formatRate } from '../../../harness/measure/format.js';
import { LatencyHistogram } from '../../../harness/measure/histogram.js';
import { HistogramSet } from '../../../harness/measure/histogram-set.js';
import {
  compileThresholds,
  evaluateThreshold,
  evaluateThresholds,
  histogramLookup,
  ThresholdResultSchema,
} from '../../../harness/measure/threshold.js';
import type { LatencySummary as HistogramSummary } from '../../../harness/schema/histogram.js';
import { parseThreshold } from '../../../harness/schema/threshold.js';

const summary = (over: Partial<HistogramSummary>): HistogramSummary => ({
  count: 100,
  min: 1000,
  max: 90_000,
  mean: 20_000,
  p50: 10_000,
  p90: 40_000,
  p95: 50_000,
  p99: 80_000,
  p999: 90_000,
  ...over,
});

const evalOn = (expr: string, data: Parameters<typeof evaluateThreshold>[1], selector = 'step_duration') =>
  evaluateThreshold(parseThreshold(selector, expr), data);

describe('evaluateThreshold at the boundary', () => {
  it('p(95)<50ms fails when p95 is exactly 50 ms; <= passes', () => {
    const lt = evalOn('p(95)<50ms', summary({ p95: 50_000 }));
    expect(lt).toEqual({
      selector: 'step_duration',
      metric: 'step_duration',
      tags: {},
      expression: 'p(95)<50ms',
      observed: { value: 50_000, formatted: '50ms' },
      pass: false,
    });
    expect(ThresholdResultSchema.parse(lt)).toEqual(lt);
    expect(evalOn('p(95)<=50ms', summary({ p95: 50_000 })).pass).toBe(true);
    expect(evalOn('p(95)<50ms', summary({ p95: 49_999 })).pass).toBe(true);
    expect(evalOn('p(95)<50000us', summary({ p95: 50_000 })).pass).toBe(false);
    expect(evalOn('p(95)<50', summary({ p95: 50_000 })).pass).toBe(false); // bare number = ms
    expect(evalOn('p(95)<0.05s', summary({ p95: 50_000 })).pass).toBe(false);
  });

  it('evaluates every operator on a live histogram (exact below 2048 µs)', () => {
    const h = new LatencyHistogram();
    for (let v = 1; v <= 1000; v++) h.record(v);
    expect(evalOn('p(95)<950us', h).pass).toBe(false);
    expect(evalOn('p(95)<=950us', h).pass).toBe(true);
    expect(evalOn('p(95)<0.95ms', h).pass).toBe(false);
    expect(evalOn('p(95)>949us', h).pass).toBe(true);
    expect(evalOn('p(95)>=951us', h).pass).toBe(false);
    expect(evalOn('p(95)==950us', h).pass).toBe(true);
    expect(evalOn('p(95)!=950us', h).pass).toBe(false);
    expect(evalOn('p(97.5)==975us', h).pass).toBe(true); // any N, not only the summary's
    expect(evalOn('med==500us', h).observed).toEqual({ value: 500, formatted: '500µs' });
    expect(evalOn('min==1us', h).pass).toBe(true);
    expect(evalOn('max==1ms', h).pass).toBe(true);
    expect(evalOn('avg<=500.5us', h).pass).toBe(true);
    expect(evalOn('count==1000', h).observed).toEqual({ value: 1000, formatted: '1000' });
  });

  it('formats observed durations in the natural unit', () => {
    expect(evalOn('avg<100ms', summary({ mean: 53_200 })).observed).toEqual({
      value: 53_200,
      formatted: '53.2ms',
    });
  });

  it('med and p(N) on a summary use its fields; other N need the histogram', () => {
    expect(evalOn('med<11ms', summary({})).observed!.value).toBe(10_000);
    expect(evalOn('p(99.9)<=90ms', summary({})).pass).toBe(true);
    const r = evalOn('p(97)<1s', summary({}));
    expect(r.pass).toBe(false);
    expect(r.observed).toBeNull();
    expect(r.error).toBe('p(97) needs the full histogram; a summary has p(50), p(90), p(95), p(99), p(99.9)');
  });
});

describe('rates and counters', () => {
  it('rate<0.01 at exactly 1% fails; <= passes', () => {
    const data = { passes: 1, fails: 99 };
    const r = evalOn('rate<0.01', data, 'errors');
    expect(r.observed).toEqual({ value: 0.01, formatted: '1%' });
    expect(r.pass).toBe(false);
    expect(evalOn('rate<=0.01', data, 'errors').pass).toBe(true);
    expect(evalOn('count==100', data, 'errors').pass).toBe(true);
  });

  it('counters support count only', () => {
    expect(evalOn('count>0', 5, 'calls')).toMatchObject({
      pass: true,
      observed: { value: 5, formatted: '5' },
    });
    expect(evalOn('count>0', 0, 'calls').pass).toBe(false);
    expect(evalOn('rate<1', 5, 'calls').error).toBe('rate does not apply to calls, which is a counter');
  });

  it('fails with an error on data of the wrong kind or no samples', () => {
    const h = new LatencyHistogram();
    h.record(5);
    expect(evalOn('rate<0.1', h, 'mystery').error).toBe(
      'rate does not apply to mystery, which is a duration',
    );
    expect(evalOn('p(95)<1', { passes: 1, fails: 0 }, 'errors').error).toBe(
      'p(95) does not apply to errors, which is a rate',
    );
    expect(evalOn('rate<0.1', { passes: 0, fails: 0 }, 'errors')).toMatchObject({
      pass: false,
      error: 'no samples for errors',
    });
    expect(evalOn('p(95)<1s', undefined)).toMatchObject({
      pass: false,
      observed: null,
      error: 'no samples for step_duration',
    });
    expect(evalOn('p(95)<1s', new LatencyHistogram()).error).toBe('no samples for step_duration');
    expect(evalOn('count==0', new LatencyHistogram()).pass).toBe(true);
  });
});

describe('compileThresholds + evaluateThresholds', () => {
  it('compiles config with selectors and evaluates against a HistogramSet', () => {
    const thresholds = compileThresholds({
      step_duration: ['p(95)<50ms'],
      'step_duration{step:fetch}': ['max<=300us'],
    });
    const set = new HistogramSet();
    set.record('step_duration', { step: 'fetch', target: 'a' }, 100);
    set.record('step_duration', { step: 'fetch', target: 'b' }, 300);
    set.record('step_duration', { step: 'list', target: 'a' }, 900);
    const results = evaluateThresholds(thresholds, histogramLookup(set));
    expect(results.map((r) => [r.selector, r.tags, r.observed?.value, r.pass])).toEqual([
      ['step_duration', {}, 900, true],
      ['step_duration{step:fetch}', { step: 'fetch' }, 300, true],
    ]);
  });

  it('reports every problem at once as INVALID_CONFIG, using declared kinds', () => {
    let error: unknown;
    try {
      compileThresholds(
        { errors: ['p(95)<5', 'rate<0.01'], step_duration: 'p(95)<<1', 'x{': 'count>1' },
        { errors: 'rate' },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('INVALID_CONFIG');
    expect((error as HarnessError).problems).toEqual([
      {
        path: 'thresholds.errors[0]',
        message: "p(95)<5: p(N) does not apply to rate metric 'errors', expected one of rate, count",
      },
      {
        path: 'thresholds.step_duration',
        message: "p(95)<<1: unexpected '<' at column 7, expected a number",
      },
      { path: 'thresholds.x{', message: 'x{: unexpected end of input at column 3, expected a tag name' },
    ]);
  });
});

describe('format', () => {
  it.each([
    [0, '0µs'],
    [850, '850µs'],
    [999.5, '999.5µs'],
    [1000, '1ms'],
    [53_200, '53.2ms'],
    [53_215, '53.22ms'],
    [1_250_000, '1.25s'],
    [60_000_000, '1m'],
    [123_500_000, '2m3.5s'],
    [-1500, '-1.5ms'],
  ])('formatDuration(%d) = %s', (us, text) => {
    expect(formatDuration(us)).toBe(text);
  });

  it('formats rates and counts', () => {
    expect(formatRate(0.005)).toBe('0.5%');
    expect(formatRate(1)).toBe('100%');
    expect(formatCount(12)).toBe('12');
    expect(formatCount(1.2345)).toBe('1.23');
  });
});

import { describe, expect, it } from 'vitest';
import {
  metricKind,
  parseMetricSelector,
  parseThreshold,
  parseThresholdExpression,
  ThresholdConfigSchema,
  ThresholdExpressionSchema,
  ThresholdParseError,
} from '../../../harness/schema/threshold.js';

describe('parseThresholdExpression: valid', () => {
  it.each([
    ['p(95)<50ms', { aggregation: 'p', percentile: 95, op: '<', value: 50, unit: 'ms', bound: 50_000 }],
    [
      'p(99.9) <= 1.5s',
      { aggregation: 'p', percentile: 99.9, op: '<=', value: 1.5, unit: 's', bound: 1_500_000 },
    ],
    ['p(0)>=1us', { aggregation: 'p', percentile: 0, op: '>=', value: 1, unit: 'us', bound: 1 }],
    ['avg<200', { aggregation: 'avg', op: '<', value: 200, bound: 200_000 }],
    ['med>=300us', { aggregation: 'med', op: '>=', value: 300, unit: 'us', bound: 300 }],
    ['min==10µs', { aggregation: 'min', op: '==', value: 10, unit: 'µs', bound: 10 }],
    ['max!=2m', { aggregation: 'max', op: '!=', value: 2, unit: 'm', bound: 120_000_000 }],
    ['p(95)<0.95ms', { aggregation: 'p', percentile: 95, op: '<', value: 0.95, unit: 'ms', bound: 950 }],
    ['count>0', { aggregation: 'count', op: '>', value: 0, bound: 0 }],
    ['rate<0.01', { aggregation: 'rate', op: '<', value: 0.01, bound: 0.01 }],
    ['rate<.5', { aggregation: 'rate', op: '<', value: 0.5, bound: 0.5 }],
    ['  p( 90 ) <  5 ms ', { aggregation: 'p', percentile: 90, op: '<', value: 5, unit: 'ms', bound: 5000 }],
  ])('%s', (source, expected) => {
    const parsed = parseThresholdExpression(source);
    expect(parsed).toEqual({ source, ...expected });
    expect(ThresholdExpressionSchema.parse(parsed)).toEqual(parsed);
  });
});

describe('parseThresholdExpression: errors name the column and what was expected', () => {
  const AGG = 'an aggregation (p(N), avg, min, max, med, count, rate)';
  const OP = 'an operator (<, <=, >, >=, ==, !=)';
  const UNIT = 'a unit (us, µs, ms, s, m) or end of expression';
  it.each([
    ['p(95)<<50ms', "p(95)<<50ms: unexpected '<' at column 7, expected a number"],
    ['', `(empty): unexpected end of input at column 1, expected ${AGG}`],
    ['foo<1', `foo<1: unexpected 'foo' at column 1, expected ${AGG}`],
    ['p95<50', "p95<50: unexpected '95' at column 2, expected '('"],
    ['p(95<50', "p(95<50: unexpected '<' at column 5, expected ')'"],
    ['p()<50', "p()<50: unexpected ')' at column 3, expected a percentile from 0 to 100"],
    ['p(101)<5', "p(101)<5: unexpected '101' at column 3, expected a percentile from 0 to 100"],
    ['avg=5', `avg=5: unexpected '=' at column 4, expected ${OP}`],
    ['avg', `avg: unexpected end of input at column 4, expected ${OP}`],
    ['avg<', 'avg<: unexpected end of input at column 5, expected a number'],
    ['avg < -5', "avg < -5: unexpected '-' at column 7, expected a number"],
    ['avg<50xs', `avg<50xs: unexpected 'xs' at column 7, expected ${UNIT}`],
    ['avg<5 5', `avg<5 5: unexpected '5' at column 7, expected ${UNIT}`],
    ['p(95)<50ms)', "p(95)<50ms): unexpected ')' at column 11, expected end of expression"],
    [
      'rate<5ms',
      "rate<5ms: unexpected 'ms' at column 7, expected a plain number or end of expression (rate is not a duration)",
    ],
    [
      'count>3s',
      "count>3s: unexpected 's' at column 8, expected a plain number or end of expression (count is not a duration)",
    ],
    ['rate<0.1!', "rate<0.1!: unexpected '!' at column 9, expected end of expression"],
  ])('%j', (source, message) => {
    let error: unknown;
    try {
      parseThresholdExpression(source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ThresholdParseError);
    expect((error as Error).message).toBe(message);
  });

  it('carries the 1-based column', () => {
    try {
      parseThresholdExpression('p(95)<<50ms');
      expect.unreachable();
    } catch (e) {
      expect((e as ThresholdParseError).column).toBe(7);
    }
  });
});

describe('parseMetricSelector', () => {
  it.each([
    ['step_duration', { metric: 'step_duration', tags: {} }],
    ['step_duration{step:fetch}', { metric: 'step_duration', tags: { step: 'fetch' } }],
    [
      'step_duration{ step: fetch , target:gw.a }',
      { metric: 'step_duration', tags: { step: 'fetch', target: 'gw.a' } },
    ],
    ['downstream_duration{tool:search.web}', { metric: 'downstream_duration', tags: { tool: 'search.web' } }],
  ])('%s', (source, expected) => {
    expect(parseMetricSelector(source)).toEqual({ source, ...expected });
  });

  it.each([
    ['step_duration{step}', "step_duration{step}: unexpected '}' at column 19, expected ':'"],
    ['a{}', "a{}: unexpected '}' at column 3, expected a tag name"],
    ['a{x:}', "a{x:}: unexpected '}' at column 5, expected a tag value"],
    ['a{x:1', "a{x:1: unexpected end of input at column 6, expected ',' or '}'"],
    ['a{x:1,x:2}', "a{x:1,x:2}: unexpected 'x' at column 7, expected a tag not already in this selector"],
    ['9bad', "9bad: unexpected '9' at column 1, expected a metric name"],
    ['a{x:1}b', "a{x:1}b: unexpected 'b' at column 7, expected '{' or end of selector"],
  ])('%s fails', (source, message) => {
    expect(() => parseMetricSelector(source)).toThrow(message);
  });
});

describe('metric kinds', () => {
  it('infers duration from the name unless declared', () => {
    expect(metricKind('step_duration')).toBe('duration');
    expect(metricKind('overhead')).toBe('duration');
    expect(metricKind('response_time_ms')).toBe('duration');
    expect(metricKind('errors')).toBeUndefined();
    expect(metricKind('uptime')).toBeUndefined();
    expect(metricKind('step_duration', { step_duration: 'counter' })).toBe('counter');
  });

  it('rejects rate on a duration metric and duration aggregations on declared rates', () => {
    expect(() => parseThreshold('step_duration{step:a}', 'rate<0.01')).toThrow(
      "rate<0.01: rate does not apply to duration metric 'step_duration', expected one of p(N), avg, min, max, med, count",
    );
    expect(() => parseThreshold('errors', 'p(95)<5', { errors: 'rate' })).toThrow(
      "p(95)<5: p(N) does not apply to rate metric 'errors', expected one of rate, count",
    );
    expect(() => parseThreshold('calls', 'rate>1', { calls: 'counter' })).toThrow(/expected one of count$/);
    // Unknown metrics are checked against their data at evaluation time instead.
    expect(parseThreshold('errors', 'rate<0.01').selector.metric).toBe('errors');
  });
});

describe('ThresholdConfigSchema', () => {
  it('accepts k6-style config', () => {
    const config = {
      step_duration: ['p(95)<50ms'],
      'step_duration{step:fetch}': ['p(99)<200ms', 'avg<100'],
      errors: 'rate<0.01',
    };
    expect(ThresholdConfigSchema.parse(config)).toEqual(config);
  });

  it('reports every bad entry with its path and the precise message', () => {
    const r = ThresholdConfigSchema.safeParse({
      step_duration: ['p(95)<50ms', 'rate<0.01'],
      errors: 'rate<<1',
      'bad{': 'avg<1',
      ok: 5,
    });
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => [i.path, i.message]);
    expect(issues).toEqual(
      expect.arrayContaining([
        [
          ['step_duration', 1],
          "rate<0.01: rate does not apply to duration metric 'step_duration', expected one of p(N), avg, min, max, med, count",
        ],
        [['errors'], "rate<<1: unexpected '<' at column 6, expected a number"],
        [['bad{'], 'bad{: unexpected end of input at column 5, expected a tag name'],
      ]),
    );
    expect(issues.some(([path]) => (path as unknown[])[0] === 'ok')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import type { HarnessError } from '../../../harness/errors.js';
import {
  compileLoadThresholds,
  evaluateLoadThresholds,
  loadExitCode,
  parseLoadThreshold,
  withThresholds,
} from '../../../harness/load/thresholds.js';
import { LatencyHistogram } from '../../../harness/measure/histogram.js';
import { loadReportOf } from '../../helpers/load-report.js';

// 100 response times 1..100 ms; service times a tenth of them.
const response = Array.from({ length: 100 }, (_, i) => (i + 1) * 1000);
const service = response.map((us) => us / 10);

describe('load thresholds', () => {
  it('reads [selector:]expression; no selector means the response time', () => {
    expect(parseLoadThreshold('p(99)<50ms').selector.metric).toBe('response_time');
    const t = parseLoadThreshold('service_time{step:fetch}:p(99.9) <= 2s');
    expect(t.selector).toMatchObject({ metric: 'service_time', tags: { step: 'fetch' } });
    expect(t.expression).toMatchObject({ aggregation: 'p', percentile: 99.9, op: '<=', bound: 2_000_000 });
  });

  it('evaluates percentiles from the HDR encoding, response and service time apart', () => {
    const report = loadReportOf({ responseUs: response, serviceUs: service });
    const h = LatencyHistogram.create();
    for (const us of response) h.record(us);
    const results = evaluateLoadThresholds(report, [
      'p(99)<50ms',
      'p(50)<=51ms',
      'service_time:p(99)<50ms',
      `response_time:p(97.5)==${h.percentile(97.5)}us`,
    ]);
    expect(results.map((r) => r.pass)).toEqual([false, true, true, true]);
    // HDR precision: 99 ms reads back as the top of its bucket (within 0.1%).
    expect(results[0]).toEqual({ expression: 'p(99)<50ms', pass: false, observed: '99.01ms' });
    expect(results[2]?.observed).toBe('9.9ms');
  });

  it('reads errors as a rate, dropped and iterations as counts', () => {
    const report = loadReportOf({ responseUs: response, errors: { isError: 1, http: 2 }, dropped: 4 });
    const results = evaluateLoadThresholds(report, [
      'errors:rate<0.01',
      'errors:rate<0.05',
      'dropped:count==0',
      'iterations:count>=100',
    ]);
    expect(results.map((r) => [r.pass, r.observed])).toEqual([
      [false, '3%'],
      [true, '3%'],
      [false, '4'],
      [true, '100'],
    ]);
  });

  it('fails a threshold it cannot evaluate, with the reason', () => {
    const [r] = evaluateLoadThresholds(loadReportOf({ responseUs: response }), [
      'response_time{step:nope}:p(95)<1s',
    ]);
    expect(r).toMatchObject({
      pass: false,
      observed: null,
      error: 'no samples for response_time{step:nope}',
    });
  });

  it('evaluates the run options thresholds; a failing one makes exit code 1', () => {
    const passing = withThresholds(loadReportOf({ responseUs: response, thresholds: ['p(99)<1s'] }));
    expect(passing.thresholds).toHaveLength(1);
    expect(loadExitCode(passing)).toBe(0);
    const failing = withThresholds(
      loadReportOf({ responseUs: response, thresholds: ['p(99)<1s', 'max<10ms'] }),
    );
    expect(loadExitCode(failing)).toBe(1);
  });

  it('compiles every bad threshold into one exit-2 error', () => {
    try {
      compileLoadThresholds(['p(99)<50ms', 'p(101)<1s', 'avg<']);
      expect.unreachable();
    } catch (e) {
      expect((e as HarnessError).exitCode).toBe(2);
      expect((e as HarnessError).problems.map((p) => p.path)).toEqual(['--threshold[1]', '--threshold[2]']);
    }
  });
});

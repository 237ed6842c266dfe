import { describe, expect, it } from 'vitest';
import {
  buildRunReport,
  CheckResultSchema,
  HistogramSummarySchema,
  RunReportSchema,
  StepResultSchema,
  summarize,
} from '../../../harness/schema/result.js';
import { check, fixtureReport, histogram } from './fixture.js';

const noScenarios = { scenarios: [] };

describe('summarize', () => {
  it('a failing check fails the run (exit 1)', () => {
    const r = summarize({
      ...noScenarios,
      checks: [check({ id: 'a.x' }), check({ id: 'a.y', status: 'fail' })],
    });
    expect(r).toEqual({ summary: { passed: 1, failed: 1, warned: 0, skipped: 0, blocked: 0 }, exitCode: 1 });
  });

  it('a failure listed in the baseline does not fail the run and counts as skipped', () => {
    const r = summarize({
      ...noScenarios,
      checks: [check({ id: 'a.y', status: 'fail', expectedFailure: true })],
    });
    expect(r).toEqual({ summary: { passed: 0, failed: 0, warned: 0, skipped: 1, blocked: 0 }, exitCode: 0 });
  });

  it('a stale baseline entry (passing now) fails the run', () => {
    const r = summarize({
      ...noScenarios,
      checks: [check({ id: 'a.y', status: 'pass', expectedFailure: true, stale: true })],
    });
    expect(r).toEqual({ summary: { passed: 0, failed: 1, warned: 0, skipped: 0, blocked: 0 }, exitCode: 1 });
  });

  it('all passing (warnings and skips included) exits 0', () => {
    const r = summarize({
      ...noScenarios,
      checks: [
        check({ id: 'a.x' }),
        check({ id: 'a.w', status: 'warn' }),
        check({ id: 'a.s', status: 'skip' }),
      ],
    });
    expect(r).toEqual({ summary: { passed: 1, failed: 0, warned: 1, skipped: 1, blocked: 0 }, exitCode: 0 });
  });

  it('a blocked check fails the run unless the baseline lists it', () => {
    const blocked = check({ id: 'a.b', status: 'blocked', reason: 'the SUT does not expose alpha.log' });
    expect(summarize({ ...noScenarios, checks: [blocked] })).toEqual({
      summary: { passed: 0, failed: 0, warned: 0, skipped: 0, blocked: 1 },
      exitCode: 1,
    });
    expect(summarize({ ...noScenarios, checks: [{ ...blocked, expectedFailure: true }] })).toEqual({
      summary: { passed: 0, failed: 0, warned: 0, skipped: 1, blocked: 0 },
      exitCode: 0,
    });
  });

  it('an empty run exits 0', () => {
    expect(summarize({ checks: [], scenarios: [] }).exitCode).toBe(0);
  });

  it('counts checks, expectations, thresholds and unexplained step failures', () => {
    const report = fixtureReport();
    expect(report.summary).toEqual({ passed: 7, failed: 5, warned: 1, skipped: 2, blocked: 0 });
    expect(report.exitCode).toBe(1);
  });

  it('a failed scenario with nothing failing inside still fails the run', () => {
    const scenario = { ...fixtureReport().scenarios[1]!, steps: [], status: 'fail' as const };
    expect(summarize({ checks: [], scenarios: [scenario] })).toEqual({
      summary: { passed: 0, failed: 1, warned: 0, skipped: 0, blocked: 0 },
      exitCode: 1,
    });
  });

  it('a failing threshold alone fails the run', () => {
    const base = fixtureReport().scenarios[0]!;
    const scenario = {
      ...base,
      steps: [],
      thresholds: [{ metric: 'm', expression: 'p(95)<1ms', observed: '2 ms', pass: false }],
    };
    expect(summarize({ checks: [], scenarios: [scenario] }).exitCode).toBe(1);
  });

  it('buildRunReport keeps an explicit exit code (e.g. 3 when the SUT was unreachable)', () => {
    const r = buildRunReport({
      version: '1',
      startedAt: '2026-01-01T00:00:00Z',
      durationMs: 1,
      checks: [],
      scenarios: [],
      exitCode: 3,
    });
    expect(r.exitCode).toBe(3);
    expect(RunReportSchema.parse(r)).toEqual(r);
  });
});

describe('result schemas', () => {
  it('accept the fixture', () => {
    expect(() => RunReportSchema.parse(fixtureReport())).not.toThrow();
  });

  it('reject unknown keys and bad statuses', () => {
    expect(CheckResultSchema.safeParse({ ...check({ id: 'a.b' }), durationUS: 1 }).success).toBe(false);
    expect(CheckResultSchema.safeParse({ ...check({ id: 'a.b' }), status: 'error' }).success).toBe(false);
  });

  it('require integer microseconds', () => {
    const step = { name: 's', kind: 'call', status: 'pass', durationUs: 1.5, expectations: [] };
    expect(StepResultSchema.safeParse(step).success).toBe(false);
    expect(StepResultSchema.safeParse({ ...step, durationUs: 2 }).success).toBe(true);
    const h = histogram('m', {}, [1, 2, 3]);
    expect(HistogramSummarySchema.safeParse({ ...h, p99: 2.5 }).success).toBe(false);
    expect(HistogramSummarySchema.safeParse({ ...h, mean: 2.5 }).success).toBe(true);
    expect(HistogramSummarySchema.safeParse({ ...h, hdr: 'not base64!' }).success).toBe(false);
  });

  it('reject an exit code outside 0-4', () => {
    expect(RunReportSchema.safeParse({ ...fixtureReport(), exitCode: 5 }).success).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../harness/errors.js';
import { jsonReporter, parseRunReport } from '../../../harness/report/json.js';
import { RunReportSchema } from '../../../harness/schema/result.js';
import { fixtureReport } from './fixture.js';

describe('json reporter', () => {
  it('round-trips the full report through the schema', async () => {
    const report = fixtureReport();
    const text = await jsonReporter.render(report);
    expect(text).toContain('\n  "tool": "mcp-harness"');
    const back = RunReportSchema.parse(JSON.parse(text));
    expect(back).toEqual(report);
    expect(parseRunReport(text)).toEqual(report);
  });

  it('keeps the HDR encoding of every histogram', async () => {
    const report = fixtureReport();
    const back = JSON.parse(await jsonReporter.render(report));
    expect(back.scenarios[0].histograms[0].hdr).toBe(report.scenarios[0]!.histograms[0]!.hdr);
    expect(back.scenarios[0].histograms[0].hdr).toMatch(/^HISTF/);
  });

  it('refuses to write a report that breaks the schema', () => {
    const bad = { ...fixtureReport(), summary: { passed: -1, failed: 0, warned: 0, skipped: 0, blocked: 0 } };
    let error: unknown;
    try {
      jsonReporter.render(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('INTERNAL');
    expect((error as HarnessError).problems.map((p) => p.path)).toContain('summary.passed');
  });

  it('parseRunReport reports what is wrong with a foreign file', () => {
    expect(() => parseRunReport('{nope', 'shard-1.json')).toThrow(/shard-1.json is not valid JSON/);
    try {
      parseRunReport(JSON.stringify({ tool: 'k6' }), 'x.json');
      expect.unreachable();
    } catch (e) {
      expect((e as HarnessError).code).toBe('INVALID_CONFIG');
      expect((e as HarnessError).problems.length).toBeGreaterThan(1);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { HistogramSet } from '../../../harness/measure/histogram-set.js';
import { consoleReporter } from '../../../harness/report/console.js';
import { jsonReporter, parseRunReport } from '../../../harness/report/json.js';
import { renderMarkdown } from '../../../harness/report/markdown.js';
import type { RunReport } from '../../../harness/schema/result.js';
import { fixtureReport } from '../report/fixture.js';

/** The fixture report with a signed overhead series: one call of 'search' and a repeated 'page'. */
function withOverhead(): RunReport {
  const report = fixtureReport();
  const scenario = report.scenarios[0]!;
  const set = new HistogramSet();
  set.record('overhead', { step: 'search', transport: 'http' }, 234);
  for (const v of [-90, -12, -12, 30, 70]) set.record('overhead', { step: 'page', transport: 'http' }, v);
  scenario.histograms.push(...set.encode().map((e) => ({ ...e, errorUs: 40 })));
  return report;
}

describe('reports show overhead signed, with its ±', () => {
  it('console: the step line and the signed series', async () => {
    const lines = ((await consoleReporter.render(withOverhead(), { color: false })) as string).split('\n');
    expect(lines.find((l) => l.startsWith('  ✓ search'))).toContain('overhead +234 µs ± 40 µs');
    expect(lines.find((l) => l.includes('overhead step=page'))).toContain(
      'n=5  p50 -12 µs ± 40 µs, mean -3 µs, p10…p90 -90 µs…+70 µs',
    );
  });

  it('markdown: the step row and the signed series row', () => {
    const text = renderMarkdown(withOverhead());
    expect(text).toContain('(overhead +234 µs ± 40 µs, by traceparent)');
    expect(text).toContain('| 5 | p50 -12 µs ± 40 µs, mean -3 µs, p10…p90 -90 µs…+70 µs |');
  });

  it('json: the signed summary, the negative part and the ± survive a round trip', () => {
    const back = parseRunReport(jsonReporter.render(withOverhead()) as string);
    const page = back.scenarios[0]!.histograms.find((h) => h.tags.step === 'page')!;
    expect(page.signed).toMatchObject({ p50: -12, min: -90, max: 70 });
    expect(page.errorUs).toBe(40);
    expect(new HistogramSet().mergeEncoded([page]).select('overhead')?.percentile(50)).toBe(-12);
  });
});

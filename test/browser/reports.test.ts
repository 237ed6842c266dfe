import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCompare } from '../../harness/compare/run-compare.js';
import { formatDuration } from '../../harness/report/format.js';
import { renderCompareHtml, renderRunHtml } from '../../harness/report/html.js';
import { runScenarios } from '../../harness/runner/run.js';
import { buildRunReport, type CheckResult } from '../../harness/schema/result.js';
import { chartStates, launchChromium, openReport, screenshot } from './browser.js';

/**
 * Each kind of HTML report (run, check, compare) opened in Debian's Chromium:
 * no console errors, no network, every chart drawn on its canvas, the key
 * numbers in the DOM, hostile text shown as text (never run), a screenshot
 * kept in test-artifacts/.
 */
const HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchChromium();
  dir = await mkdtemp(join(tmpdir(), 'mcp-harness-html-'));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function expectClean(file: string, shot: string) {
  const opened = await openReport(browser, file);
  const charts = await chartStates(opened.page);
  await screenshot(opened.page, shot);
  expect(opened.errors).toEqual([]);
  expect(opened.requests).toEqual([]);
  expect(charts.length).toBeGreaterThan(0);
  expect(charts.filter((c) => !c.drawn)).toEqual([]);
  expect(await opened.page.evaluate('globalThis.__pwned')).toBeUndefined();
  return opened.page;
}

describe('HTML report in Chromium', () => {
  it('run: steps, expectations expected vs observed, percentile/distribution/split charts; hostile text stays text', async () => {
    const { report, files } = await runScenarios(
      [
        {
          name: 'html-run',
          fleet: {
            servers: [
              { name: 'alpha', transport: 'http', tools: [{ name: 'echo', result: { echo: true } }] },
            ],
          },
          steps: [
            { name: 'first', call: 'alpha.echo', args: { n: 1 } },
            { name: 'again', call: 'alpha.echo', args: { n: 2 } },
            {
              name: 'hostile',
              call: 'alpha.echo',
              args: { text: HOSTILE },
              expect: { text: 'something else' },
            },
          ],
        },
      ],
      { reportDir: dir, formats: ['html'] },
    );
    expect(files).toEqual([join(dir, 'report.html')]);
    const page = await expectClean(join(dir, 'report.html'), 'run-report.png');
    const text = (await page.textContent('body')) ?? '';
    expect(text).toContain(`${report.summary.passed} passed`);
    expect(text).toContain('window.__pwned=1'); // shown, not run
    const first = report.scenarios[0]?.steps.find((s) => s.name === 'first');
    expect(text).toContain(formatDuration(first?.durationUs ?? -1));
    expect(await page.$$eval('[data-chart]', (els) => els.map((e) => e.getAttribute('data-chart')))).toEqual([
      'scenario-0-pct',
      'scenario-0-dist',
      'scenario-0-split',
    ]);
  });

  it('check: results with filters by suite and status, verdict chart; a <script> in an observation does not run', async () => {
    const check = (
      id: string,
      suite: string,
      status: CheckResult['status'],
      observed: string,
    ): CheckResult => ({
      id,
      title: `title of ${id}`,
      suite,
      status,
      specRef: 'spec',
      expected: 'expected value',
      observed,
      durationMs: 12,
    });
    const report = buildRunReport({
      version: 'test',
      startedAt: new Date().toISOString(),
      durationMs: 30,
      scenarios: [],
      checks: [
        check('gateway.a', 'gateway', 'pass', 'fine'),
        check('gateway.b', 'gateway', 'fail', HOSTILE),
        check('http.c', 'http', 'warn', 'meh'),
        check('http.d', 'http', 'pass', 'fine'),
      ],
    });
    const file = join(dir, 'check.html');
    await writeFile(file, renderRunHtml(report));
    const page = await expectClean(file, 'check-report.png');
    expect(await page.textContent('tr[data-suite="gateway"][data-status="fail"]')).toContain(
      '<script>window.__pwned=1',
    );
    const visible = () =>
      page.$$eval(
        'tr[data-suite]',
        (rows) => rows.filter((r) => !(r as unknown as { hidden: boolean }).hidden).length,
      );
    expect(await visible()).toBe(4);
    await page.selectOption('#filter-status', 'pass');
    expect(await visible()).toBe(2);
    await page.selectOption('#filter-suite', 'http');
    expect(await visible()).toBe(1);
    expect(await page.textContent('#filter-count')).toBe('1 shown');
  });

  it('compare: the side-by-side table and its charts, from a real comparison (mesh vs reference gateway)', async () => {
    const result = await runCompare('scenarios/compare/bug-triage.yaml', {
      targets: ['mesh', 'scenarios/compare/reference-gateway.yaml'],
      iterations: 2,
      warmup: 0,
    });
    expect(result.patterns.map((p) => p.status)).toEqual(['pass', 'pass']);
    const file = join(dir, 'compare.html');
    await writeFile(file, renderCompareHtml(result));
    const page = await expectClean(file, 'compare-report.png');
    const table = (await page.textContent('#compare-table')) ?? '';
    for (const p of result.patterns) {
      expect(table).toContain(p.target);
      expect(table).toContain(formatDuration(p.workflow.latency.p50));
      expect(table).toContain(`${p.catalogue.tokens} (${p.catalogue.bytes} B)`);
    }
    // Dark (prefers-color-scheme) and print layouts are the same page with other colours; charts stay drawn.
    const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).not.toBe(light);
    await screenshot(page, 'compare-report-dark.png');
    await page.emulateMedia({ colorScheme: 'dark', media: 'print' });
    expect(await background()).toBe(light);
    expect((await chartStates(page)).every((c) => c.drawn)).toBe(true);
    const ids = await page.$$eval('[data-chart]', (els) => els.map((e) => e.getAttribute('data-chart')));
    expect(ids).toEqual(
      expect.arrayContaining([
        'compare-workflow-pct',
        'compare-split',
        'compare-round-trips',
        'compare-catalogue',
      ]),
    );
  }, 90_000);
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendStepSummary, markdownReporter } from '../../../harness/report/markdown.js';
import { fixtureReport, passingReport } from './fixture.js';

const render = async () => (await markdownReporter.render(fixtureReport())) as string;
const rows = (md: string, start: string) => md.split('\n').filter((l) => l.startsWith(start));

describe('markdown reporter', () => {
  it('opens with a headline and the counts', async () => {
    const md = await render();
    expect(md.split('\n')[0]).toBe('## ❌ mcp-harness: failed');
    expect(md).toContain('**7 passed, 5 failed, 1 warned, 2 skipped**');
    const ok = (await markdownReporter.render(passingReport())) as string;
    expect(ok.split('\n')[0]).toBe('## ✅ mcp-harness: passed');
  });

  it('lists failing and warning checks with expected, observed and spec, failures first', async () => {
    const md = await render();
    const table = rows(md, '| ✗').concat(rows(md, '| ⚠'));
    const failing = table.find((r) => r.includes('`gateway.iserror-propagated`'))!;
    expect(failing).toContain('| result.isError === true |');
    expect(failing).toContain('a &lt;b&gt; &amp; "c"');
    expect(failing).toContain('\\| pipe');
    // control characters shown, not sent (GFM renders `\\x01` as `\x01`)
    expect(failing).toContain('\\\\x01\\\\x1b[31m');
    expect(md).not.toContain('\u0001');
    expect(md).not.toContain('\u001b');
    expect(failing).toContain('[modelcontextprotocol.io/specification/2025-11-25/server/tools](https://');
    expect(table.some((r) => r.includes('`gateway.latency-budget`') && r.includes('overhead 7.2 ms'))).toBe(
      true,
    );
    expect(md).toContain('✗ (stale baseline entry) | `gateway.hang-timeout`');
    expect(md).toContain('✗ (expected, baseline) | `gateway.token-passthrough`');
    expect(md).not.toContain('`gateway.tools-exposed-once`');
    const ids = [...md.matchAll(/^\| [^|]+ \| `(gateway\.[\w-]+)`/gm)].map((m) => m[1]);
    expect(ids).toEqual([
      'gateway.iserror-propagated',
      'gateway.hang-timeout',
      'gateway.latency-budget',
      'gateway.token-passthrough',
    ]);
  });

  it('has a per-suite table', async () => {
    const md = await render();
    expect(md).toContain('| gateway | 1 | 2 | 1 | 2 |');
    expect(md).toContain('| security | 1 | 0 | 0 | 0 |');
  });

  it('renders each scenario step with formatted percentiles from its histogram', async () => {
    const md = await render();
    expect(md).toContain('### ✗ Scenario `failover` — gateway · gw.yaml · 2.1 s');
    const search = rows(md, '| ✓ | search |')[0]!;
    expect(search).toContain('| 1.23 ms (overhead +234 µs, by traceparent) |');
    // HDR values are within 0.1 %: p50 of [900, 1100, 1234, 1500, 1800, 2.1 s]
    expect(search).toMatch(/\| 1\.23 ms \| 2\.1\d? s \| 2\.1\d? s \|/);
    const fetch = rows(md, '| ✗ | fetch |')[0]!;
    expect(fetch).toContain('| 250 ms | — | — | — |');
    expect(fetch).toContain('✗ within 200ms: expected &lt; 200 ms, observed 250 ms<br>✓ 1');
    expect(rows(md, '| ✓ | kill-docs |')[0]).toContain('| 850 µs |');
    expect(rows(md, '| ✗ | summarize |')[0]).toContain('connection reset by peer');
  });

  it('shows thresholds with ✓/✗, other histograms and propagation', async () => {
    const md = await render();
    expect(md).toContain('| ✓ | step_duration | `p(95)<50ms` | p(95)=1.5 ms |');
    expect(md).toContain('| ✗ | step_duration | `p(99)<100ms` | p(99)=250 ms |');
    expect(md).toMatch(/\| downstream_duration \| server=search tool=query \| 3 \| 800 µs \|/);
    expect(md).toContain('Propagation: trace context ✓ · arguments unchanged not measured');
  });
});

describe('appendStepSummary', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('appends to $GITHUB_STEP_SUMMARY when set', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-harness-md-'));
    const file = join(dir, 'summary.md');
    await writeFile(file, '# earlier step\n');
    const env = { GITHUB_STEP_SUMMARY: file };
    expect(await appendStepSummary('## one', env)).toBe(file);
    await appendStepSummary('## two\n', env);
    expect(await readFile(file, 'utf8')).toBe('# earlier step\n## one\n## two\n');
  });

  it('does nothing outside GitHub Actions', async () => {
    expect(await appendStepSummary('## x', {})).toBeUndefined();
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../harness/errors.js';
import { withThresholds } from '../../../harness/load/thresholds.js';
import { renderLoadConsole } from '../../../harness/report/load-console.js';
import { loadJsonReporter, parseLoadReport } from '../../../harness/report/load-json.js';
import { loadJunitReporter } from '../../../harness/report/load-junit.js';
import { renderLoadMarkdown } from '../../../harness/report/load-markdown.js';
import { createLoadProgress } from '../../../harness/report/load-progress.js';
import { resolveLoadReporters } from '../../../harness/report/load-registry.js';
import { loadReportOf } from '../../helpers/load-report.js';

const report = withThresholds({
  ...loadReportOf({
    responseUs: Array.from({ length: 200 }, (_, i) => 1000 + i * 100),
    serviceUs: Array.from({ length: 200 }, (_, i) => 500 + i * 10),
    overheadUs: [-40, -10, 5, 20, 30],
    errors: { isError: 2, http: 3, detail: { '503': 3 } },
    dropped: 7,
    thresholds: ['p(99)<10ms', 'service_time:p(99)<10ms', 'dropped:count==0'],
  }),
  timeline: [{ atUs: 1_000_000, action: 'kill', server: 'bench\u001b[31m', recoveredAfterUs: 250_000 }],
});

describe('load reporters', () => {
  it('console: the k6-style summary, signed overhead, errors by kind and code, timeline, thresholds, verdict last', () => {
    const text = renderLoadConsole(report);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      '  load  targets/gw.yaml (gateway) · bench.echo · constant-arrival-rate · rate 100/s · 2 s',
    );
    expect(text).toMatch(/iterations \.+: 200 {2}100\/s {2}\(target 100\/s\)/);
    expect(text).toMatch(/dropped \.+: 7/);
    expect(text).toMatch(/errors \.+: 5 of 200 \(2.5%\)/);
    expect(text).toContain('isError 2 · jsonrpc 0 · http 3 · timeout 0 · transport 0 (503 ×3)');
    expect(text).toMatch(/ {2}downstream server=bench \.+: 20 µs/);
    const order = ['response time', 'service time', 'overhead server=bench'].map((l) =>
      text.indexOf(`  ${l} .`),
    );
    expect(order.every((i, k) => i > 0 && (k === 0 || i > (order[k - 1] as number)))).toBe(true);
    expect(text).toMatch(/overhead server=bench \.+: \+5 µs +\+30 µs +\+30 µs +\+30 µs +\+30 µs +5$/m);
    // What a server sent is escaped, never passed to the terminal.
    expect(text).toContain('1.00 s  kill bench\\x1b[31m  recovered after 0.25 s');
    expect(text).toMatch(/✗ p\(99\)<10ms {2}observed 20.\d+ms/);
    expect(text).toMatch(/✓ service_time:p\(99\)<10ms/);
    expect(text).toMatch(/✗ dropped:count==0 {2}observed 7/);
    expect(lines.at(-1)).toBe('load: 200 iterations, 100/s, 2 of 3 thresholds failed');
    expect(renderLoadConsole(report, { color: true })).toContain('\u001b[31m✗\u001b[39m');
  });

  it('junit: one testcase per threshold, failures with what was observed', () => {
    const xml = loadJunitReporter.render(report);
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml).toContain('failed: observed 7" type="threshold"');
    const none = loadJunitReporter.render({ ...report, thresholds: [] });
    expect(none).toContain('name="load run (no thresholds)"');
    expect(none).not.toContain('<failure');
  });

  it('markdown: headline, percentile table, thresholds, pipes escaped', () => {
    const md = renderLoadMarkdown({ ...report, target: 'a|b' });
    expect(md.split('\n')[0]).toBe('## ❌ mcp-harness load: 2 thresholds failed');
    expect(md).toContain('a\\|b (gateway)');
    expect(md).toContain('| | p50 | p90 | p99 | p99.9 | max | count |');
    expect(md).toMatch(/\| response time \| [^|]+ \|[^\n]+\| 200 \|/);
    expect(md).toMatch(/\| `dropped:count==0` \| 7 \| ✗ \|/);
  });

  it('console and markdown: step expectations under load, failures counted per step and expectation', () => {
    const withExpectations = withThresholds(
      loadReportOf({
        responseUs: [1000, 2000],
        thresholds: ['expectations:rate<0.1', 'expectations{step:fetch}:rate==0'],
        expectations: [
          { step: 'fetch', expectation: 'outcome', passed: 200, failed: 0 },
          { step: 'triage', expectation: 'text', passed: 150, failed: 50 },
        ],
      }),
    );
    expect(withExpectations.thresholds.map((t) => [t.expression, t.pass, t.observed])).toEqual([
      ['expectations:rate<0.1', false, '12.5%'],
      ['expectations{step:fetch}:rate==0', true, '0%'],
    ]);
    const text = renderLoadConsole(withExpectations);
    expect(text).toMatch(
      /\n {2}expectations\n {4}fetch › outcome \.+: 0 failed of 200 \(0%\)\n {4}triage › text \.+: 50 failed of 200 \(25%\)\n/,
    );
    const md = renderLoadMarkdown(withExpectations);
    expect(md).toContain('| triage › text | 50 failed of 200 (25%) |');
  });

  it('json: the report round-trips, and a file that is not a load report is refused with its name', () => {
    expect(parseLoadReport(loadJsonReporter.render(report), 'a.json')).toEqual(report);
    try {
      parseLoadReport('{"kind":"load"}', 'b.json');
      expect.unreachable();
    } catch (e) {
      expect((e as HarnessError).exitCode).toBe(2);
      expect((e as HarnessError).problems.some((p) => p.path.startsWith('b.json: '))).toBe(true);
    }
  });

  it('registry: resolves comma lists once each, refuses unknown formats listing all', () => {
    expect(resolveLoadReporters(['console,json', 'json', 'md']).map((r) => r.name)).toEqual([
      'console',
      'json',
      'md',
    ]);
    expect(() => resolveLoadReporters(['html,xml'])).toThrow(HarnessError);
    try {
      resolveLoadReporters(['html,xml']);
    } catch (e) {
      expect((e as HarnessError).problems.map((p) => p.message)).toEqual([
        'unknown format "html"; expected one of console, json, junit, md',
        'unknown format "xml"; expected one of console, json, junit, md',
      ]);
    }
  });

  it('progress off a TTY: one plain line per second, every kind of error counted', () => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const progress = createLoadProgress({ totalSeconds: 12, stream });
    progress.second({
      second: 2,
      requests: 498,
      ok: 490,
      dropped: 1,
      errors: { isError: 1, jsonrpc: 2, http: 3, timeout: 1, transport: 1, detail: { 'http:503': 3 } },
      responseP50Us: 1500,
      responseP99Us: 12_000,
    });
    progress.stop();
    expect(text).toBe('[ 3s/12s] 498 req/s · p50 1.5 ms · p99 12 ms · errors 8 · dropped 1\n');
  });
});

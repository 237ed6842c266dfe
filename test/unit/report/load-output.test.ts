import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { withThresholds } from '../../../harness/load/thresholds.js';
import { renderLoadConsole } from '../../../harness/report/load-console.js';
import { renderLoadMarkdown } from '../../../harness/report/load-markdown.js';
import { writeLoadOutput } from '../../../harness/report/load-output.js';
import { summarizeLoad } from '../../../harness/report/load-rows.js';
import type { LoadReport } from '../../../harness/schema/load.js';
import { loadReportOf } from '../../helpers/load-report.js';

/**
 * What the console and Markdown load reporters both show comes from one
 * summary (summarizeLoad); `load` and `merge` end with one writer
 * (writeLoadOutput): every format, each file named, the exit code.
 */

const report: LoadReport = {
  ...withThresholds(
    loadReportOf({ responseUs: [1000, 2000, 3000], thresholds: ['p(99)<1ms', 'p(50)<1s', 'nope:avg<1'] }),
  ),
  timeline: [
    { atUs: 1_000_000, action: 'kill', server: 'alpha', recoveredAfterUs: 250_000 },
    { atUs: 1_500_000, action: 'restart', server: 'beta', recoveredAfterUs: null },
  ],
};

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** A stream that keeps what is written to it (its write runs synchronously). */
function collect(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('summarizeLoad', () => {
  it('timeline, thresholds and the failed count as text, shown alike by console and markdown', () => {
    const s = summarizeLoad(report);
    expect(s.timeline).toEqual([
      { at: '1.00 s', action: 'kill', server: 'alpha', recoveredAfter: '0.25 s' },
      { at: '1.50 s', action: 'restart', server: 'beta', recoveredAfter: undefined },
    ]);
    expect(s.thresholds.map((t) => [t.expression, t.pass, t.observed])).toEqual([
      ['p(99)<1ms', false, expect.stringMatching(/ms$/)],
      ['p(50)<1s', true, expect.stringMatching(/ms$/)],
      ['nope:avg<1', false, '—'],
    ]);
    expect(s.thresholds[2]?.error).toMatch(/nope/);
    expect(s.failed).toBe(2);
    expect(s.targetRate).toBe('100/s');

    const text = renderLoadConsole(report);
    expect(text).toContain('    1.00 s  kill alpha  recovered after 0.25 s\n');
    expect(text).toContain('    1.50 s  restart beta  not recovered\n');
    expect(text).toContain(`✗ nope:avg<1  ${s.thresholds[2]?.error}`);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/, 2 of 3 thresholds failed$/);
    const md = renderLoadMarkdown(report);
    expect(md).toContain('| 1.00 s | kill | alpha | 0.25 s |');
    expect(md).toContain('| 1.50 s | restart | beta | not recovered |');
    expect(md).toContain(`| \`nope:avg<1\` | ${s.thresholds[2]?.error} | ✗ |`);
    expect(md.split('\n')[0]).toBe('## ❌ mcp-harness load: 2 thresholds failed');
  });
});

describe('writeLoadOutput', () => {
  it('writes every format, names each file, and exits 1 on a failed threshold', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-harness-load-output-'));
    dirs.push(dir);
    const out = collect();
    const notes = collect();
    const code = await writeLoadOutput(report, {
      dir: join(dir, 'r'),
      formats: ['console,json', 'md'],
      stream: out.stream,
      notes: notes.stream,
    });
    expect(code).toBe(1);
    expect((await readdir(join(dir, 'r'))).sort()).toEqual(['load-report.json', 'load-summary.md']);
    expect(notes.text()).toBe(
      `report written: ${join(dir, 'r', 'load-report.json')}\nreport written: ${join(dir, 'r', 'load-summary.md')}\n`,
    );
    expect(out.text()).toContain('thresholds failed');
  });

  it('exits 0 when every threshold passes, and with none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-harness-load-output-'));
    dirs.push(dir);
    const passing = withThresholds(loadReportOf({ responseUs: [1000], thresholds: ['p(99)<1s'] }));
    const none = loadReportOf({ responseUs: [1000] });
    for (const r of [passing, none]) {
      const notes = collect();
      expect(
        await writeLoadOutput(r, { dir, formats: ['junit'], stream: collect().stream, notes: notes.stream }),
      ).toBe(0);
      expect(notes.text()).toBe(`report written: ${join(dir, 'load-junit.xml')}\n`);
    }
  });
});

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  clean,
  consoleReporter,
  createProgress,
  type OutputStream,
  shouldUseColor,
} from '../../../harness/report/console.js';
import { fixtureReport, passingReport } from './fixture.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes
const ANSI = /\u001b\[/;

function sink(isTTY: boolean): OutputStream & { text: () => string } {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  stream.isTTY = isTTY;
  stream.columns = 100;
  let out = '';
  stream.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  return Object.assign(stream, { text: () => out });
}

describe('console reporter', () => {
  it('without colour has no ANSI codes and ends with the summary line', async () => {
    const text = (await consoleReporter.render(fixtureReport(), { color: false })) as string;
    expect(text).not.toMatch(ANSI);
    expect(text.split('\n').at(-1)).toBe('7 passed, 5 failed, 1 warned, 2 skipped');
    const ok = (await consoleReporter.render(passingReport())) as string;
    expect(ok.split('\n').at(-1)).toBe('2 passed, 0 failed, 0 warned, 0 skipped');
  });

  it('prints one line per check: ✓ id  title / ✗ … expected: … observed: …', async () => {
    const lines = ((await consoleReporter.render(fixtureReport())) as string).split('\n');
    expect(lines).toContain('  ✓ gateway.tools-exposed-once  every downstream tool exposed exactly once');
    const fail = lines.find((l) => l.includes('gateway.iserror-propagated'))!;
    expect(fail).toMatch(
      /^ {2}✗ gateway\.iserror-propagated {2}isError from .* {2}expected: result\.isError === true {2}observed: a <b>/,
    );
    // a server cannot smuggle terminal escapes through observed values
    expect(fail).toContain('\\x01\\x1b[31m');
    expect(lines.find((l) => l.includes('gateway.latency-budget'))).toMatch(/^ {2}! /);
    expect(lines.find((l) => l.includes('gateway.sse-resume'))).toContain('(skipped: target has no SSE)');
    expect(lines.find((l) => l.includes('gateway.token-passthrough'))).toContain(
      'expected failure (baseline)',
    );
    expect(lines.find((l) => l.includes('gateway.hang-timeout'))).toContain('stale baseline entry');
  });

  it('prints step lines with durations, expectations and thresholds', async () => {
    const lines = ((await consoleReporter.render(fixtureReport())) as string).split('\n');
    const search = lines.find((l) => l.startsWith('  ✓ search'))!;
    expect(search).toContain('call search.query  1.23 ms');
    expect(search).toContain('downstream 1 ms, overhead +234 µs, n=6 p50 1.23 ms');
    expect(search).toContain('by traceparent');
    expect(lines.find((l) => l.startsWith('  ✗ fetch'))).toContain('250 ms  timeout');
    expect(lines).toContain('      ✗ within 200ms  expected: < 200 ms  observed: 250 ms');
    expect(lines).toContain('    ✗ step_duration p(99)<100ms  observed p(99)=250 ms');
    expect(lines).toContain('      connection reset by peer');
  });

  it('colours only when asked', async () => {
    const text = (await consoleReporter.render(fixtureReport(), { color: true })) as string;
    expect(text).toMatch(ANSI);
    expect(text.split('\n').at(-1)).toBe('\u001b[31m7 passed, 5 failed, 1 warned, 2 skipped\u001b[39m');
  });

  it('uses colour only on a TTY without NO_COLOR', () => {
    expect(shouldUseColor(sink(false), {})).toBe(false);
    expect(shouldUseColor(sink(true), {})).toBe(true);
    expect(shouldUseColor(sink(true), { NO_COLOR: '1' })).toBe(false);
  });

  it('clean() keeps text on one line and escapes control characters', () => {
    expect(clean('a\nb\tc\u0007')).toBe('a ⏎ b c\\x07');
    expect(clean('x'.repeat(500)).length).toBe(240);
  });
});

describe('createProgress', () => {
  it('writes plain [i/n] lines when not on a TTY', () => {
    const stream = sink(false);
    const progress = createProgress({ total: 12, stream });
    progress.tick('gateway.tools-exposed-once');
    progress.tick('gateway.iserror-propagated', 'fail');
    progress.stop();
    expect(stream.text()).toBe(
      '[ 1/12] gateway.tools-exposed-once … ok\n[ 2/12] gateway.iserror-propagated … fail\n',
    );
  });

  it('draws a bar on a TTY and stops cleanly', () => {
    const stream = sink(true);
    const progress = createProgress({ total: 2, stream, label: 'checks' });
    progress.tick('a');
    progress.tick('b', 'fail');
    progress.stop();
    progress.stop();
    expect(stream.text()).toContain('2/2');
    expect(stream.text()).toContain('checks');
  });
});
